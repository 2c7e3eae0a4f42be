/**
 * OpenAI function schemas for the 30 tools. The structure is exactly upstream's (what τ²'s pydantic
 * dump gives the agent): parameter names, types, titles, required lists, enums only where upstream has
 * them, list items as `anyOf [$ref to a $defs model, any object]`, and keywords in upstream's order. Only
 * the descriptions are our own words. `parseToolSchemaFile` reads a user-supplied file (e.g. upstream's
 * dump, `tool_schemas.json`) to present upstream's exact text instead.
 */
import { z } from "zod";
import { InputError } from "../errors.ts";
import type { DomainName } from "./schema.ts";
import type { Toolkit } from "./toolkit.ts";

export const ToolSchema = z.object({
  type: z.literal("function"),
  function: z.object({ name: z.string(), description: z.string(), parameters: z.record(z.string(), z.unknown()) }),
});
export type ToolSchema = z.infer<typeof ToolSchema>;

type Json = Record<string, unknown>;
/** A list item model, emitted once under `$defs` and referenced from the list's items. */
interface Model {
  name: string;
  props: Record<string, Param>;
}
/** A parameter: its schema given its title, and the models it refers to. */
interface Param {
  schema(title: string): Json;
  models?: Model[];
}

/** pydantic's default title: underscores to spaces, then Python's str.title(). */
function pydanticTitle(name: string): string {
  let out = "";
  let afterLetter = false;
  for (const ch of name.replaceAll("_", " ")) {
    const letter = ch.toLowerCase() !== ch.toUpperCase();
    out += letter ? (afterLetter ? ch.toLowerCase() : ch.toUpperCase()) : ch;
    afterLetter = letter;
  }
  return out;
}

// Keywords in alphabetical order, as upstream's dump has them.
const s = (description: string): Param => ({ schema: (title) => ({ description, title, type: "string" }) });
const n = (description: string): Param => ({ schema: (title) => ({ description, title, type: "integer" }) });
const strings = (description: string): Param => ({ schema: (title) => ({ description, items: { type: "string" }, title, type: "array" }) });
const e = (values: string[], description: string): Param => ({ schema: (title) => ({ description, enum: values, title, type: "string" }) });
const models = (model: Model, description: string): Param => ({
  models: [model],
  schema: (title) => ({ description, items: { anyOf: [{ $ref: `#/$defs/${model.name}` }, { additionalProperties: true, type: "object" }] }, title, type: "array" }),
});

function properties(params: Record<string, Param>): Json {
  return Object.fromEntries(Object.entries(params).map(([name, p]) => [name, p.schema(pydanticTitle(name))]));
}

function fn(name: string, description: string, params: Record<string, Param> = {}): ToolSchema {
  const defs = new Map<string, Model>();
  for (const p of Object.values(params)) for (const m of p.models ?? []) defs.set(m.name, m);
  const required = Object.keys(params);
  const parameters: Json = {
    ...(defs.size ? { $defs: Object.fromEntries([...defs.values()].map((m) => [m.name, { properties: properties(m.props), required: Object.keys(m.props), title: m.name, type: "object" }])) } : {}),
    properties: properties(params),
    // A tool without parameters has no required list upstream (not an empty one).
    ...(required.length ? { required } : {}),
    title: "parameters",
    type: "object",
  };
  return { type: "function", function: { name, description, parameters } };
}

const ORDER = s("Order id, with its leading '#', e.g. '#W0000000'.");
const PM = s("Payment method id from the user's profile, e.g. 'credit_card_0000000' or 'gift_card_0000000'.");
const ADDRESS: Record<string, Param> = {
  address1: s("First address line."),
  address2: s("Second address line, may be empty."),
  city: s("City."),
  state: s("State code, e.g. 'CA'."),
  country: s("Country, e.g. 'USA'."),
  zip: s("Postal code."),
};
const CALC = fn("calculate", "Evaluate an arithmetic expression (digits, + - * /, parentheses, spaces); the result is rounded to 2 decimals.", {
  expression: s("The expression, e.g. '12.5 * 3'."),
});
const TRANSFER = fn("transfer_to_human_agents", "Hand the conversation to a human agent, with a summary. Only when the user asks for one or the request cannot be handled with these tools under the policy.", {
  summary: s("Short summary of the user's issue."),
});

const RETAIL: ToolSchema[] = [
  CALC,
  fn("cancel_pending_order", "Cancel an order whose status is 'pending' and refund its payments (gift cards at once, other methods in 5-7 business days). Confirm the details with the user first.", {
    order_id: ORDER,
    reason: s("Why the order is cancelled: 'no longer needed' or 'ordered by mistake'."),
  }),
  fn("exchange_delivered_order_items", "Request an exchange of items of a delivered order for other variants of the same products; possible once per order. Confirm with the user first.", {
    order_id: ORDER,
    item_ids: strings("Item ids to exchange (repeat an id to exchange several units)."),
    new_item_ids: strings("Replacement item ids, position by position, each a variant of the same product."),
    payment_method_id: s("Payment method that pays or receives the price difference."),
  }),
  fn("find_user_id_by_email", "Look up a user id by email address.", { email: s("The user's email.") }),
  fn("find_user_id_by_name_zip", "Look up a user id by first name, last name and zip code; use when the email is unknown.", {
    first_name: s("First name."),
    last_name: s("Last name."),
    zip: s("Zip code."),
  }),
  fn("get_item_details", "Get one item (product variant): options, availability and price.", { item_id: s("Item id (not a product id).") }),
  fn("get_order_details", "Get an order: items, status, fulfilments and payments.", { order_id: ORDER }),
  fn("get_product_details", "Get a product type and all its variants.", { product_id: s("Product id (not an item id).") }),
  fn("get_user_details", "Get a user's profile: address, payment methods and orders.", { user_id: s("User id, e.g. 'sara_doe_496'.") }),
  fn("list_all_product_types", "List every product type's name and product id."),
  fn("modify_pending_order_address", "Change the shipping address of a pending order. Confirm with the user first.", { order_id: ORDER, ...ADDRESS }),
  fn("modify_pending_order_items", "Swap items of a pending order for other variants of the same products; possible once per order. Confirm with the user first.", {
    order_id: ORDER,
    item_ids: strings("Item ids to change."),
    new_item_ids: strings("Replacement item ids, position by position."),
    payment_method_id: s("Payment method that pays or receives the price difference."),
  }),
  fn("modify_pending_order_payment", "Pay a pending order with another payment method. Confirm with the user first.", { order_id: ORDER, payment_method_id: PM }),
  fn("modify_user_address", "Change a user's default address. Confirm with the user first.", { user_id: s("User id."), ...ADDRESS }),
  fn("return_delivered_order_items", "Request a return of items of a delivered order; the refund goes to the original payment method or a gift card. Confirm with the user first.", {
    order_id: ORDER,
    item_ids: strings("Item ids to return."),
    payment_method_id: PM,
  }),
  TRANSFER,
];

const CABIN = e(["business", "economy", "basic_economy"], "Cabin class.");
const FLIGHT_INFO: Model = { name: "FlightInfo", props: { flight_number: s("Flight number, e.g. 'HAT001'."), date: s("Date, 'YYYY-MM-DD'.") } };
const PASSENGER: Model = { name: "Passenger", props: { first_name: s("First name."), last_name: s("Last name."), dob: s("Date of birth, 'YYYY-MM-DD'.") } };
const PAYMENT: Model = { name: "Payment", props: { payment_id: s("Payment method id."), amount: n("Amount in dollars.") } };
const FLIGHTS = models(FLIGHT_INFO, "Flight segments.");
const PASSENGERS = models(PASSENGER, "Passengers.");
const RES = s("Reservation id, e.g. 'ZFA04Y'.");
const PAYMENT_ID = s("Payment method id from the user's profile.");

const AIRLINE: ToolSchema[] = [
  fn("book_reservation", "Book a new reservation and charge the given payment methods.", {
    user_id: s("User id."),
    origin: s("Origin airport IATA code."),
    destination: s("Destination airport IATA code."),
    flight_type: e(["round_trip", "one_way"], "Trip type."),
    cabin: CABIN,
    flights: FLIGHTS,
    passengers: PASSENGERS,
    payment_methods: models(PAYMENT, "Payments that together cover the total."),
    total_baggages: n("Total number of bags."),
    nonfree_baggages: n("Number of paid bags."),
    insurance: e(["yes", "no"], "Travel insurance."),
  }),
  CALC,
  fn("cancel_reservation", "Cancel a whole reservation and refund its payments.", { reservation_id: RES }),
  fn("get_flight_status", "Get a flight's status on a date.", { flight_number: s("Flight number."), date: s("Date, 'YYYY-MM-DD'.") }),
  fn("get_reservation_details", "Get a reservation.", { reservation_id: RES }),
  fn("get_user_details", "Get a user's profile, including reservations and payment methods.", { user_id: s("User id.") }),
  fn("list_all_airports", "List the airports served, with their cities."),
  fn("search_direct_flight", "Find direct flights between two airports on a date.", { origin: s("Origin IATA code."), destination: s("Destination IATA code."), date: s("Date, 'YYYY-MM-DD'.") }),
  fn("search_onestop_flight", "Find one-stop connections between two airports on a date.", { origin: s("Origin IATA code."), destination: s("Destination IATA code."), date: s("Date, 'YYYY-MM-DD'.") }),
  fn("send_certificate", "Add a travel certificate to a user's profile, e.g. as compensation.", { user_id: s("User id."), amount: n("Certificate amount in dollars.") }),
  TRANSFER,
  fn("update_reservation_baggages", "Change the number of bags of a reservation, paying for extra paid bags.", {
    reservation_id: RES,
    total_baggages: n("New total number of bags."),
    nonfree_baggages: n("New number of paid bags."),
    payment_id: PAYMENT_ID,
  }),
  fn("update_reservation_flights", "Replace the flights (the whole itinerary, unchanged segments included) and/or cabin of a reservation, paying or refunding the difference.", {
    reservation_id: RES,
    cabin: CABIN,
    flights: FLIGHTS,
    payment_id: PAYMENT_ID,
  }),
  fn("update_reservation_passengers", "Replace the passenger details of a reservation (same number of passengers).", { reservation_id: RES, passengers: PASSENGERS }),
];

export const OWN_SCHEMAS: Record<DomainName, readonly ToolSchema[]> = { retail: RETAIL, airline: AIRLINE };

/**
 * Read a schema file for one domain. Accepted shapes: upstream's dump `{domain: {tool: schema}}`,
 * `{tool: schema}`, or a list of schemas. Every tool of the domain must be there, and nothing else.
 */
export function parseToolSchemaFile(text: string, file: string, domain: DomainName, toolkit: Toolkit): ToolSchema[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new InputError(`${file}: not valid JSON (${(err as Error).message})`, "pass a JSON file of OpenAI tool schemas");
  }
  let path = "$";
  if (data && typeof data === "object" && !Array.isArray(data) && domain in data) {
    data = (data as Record<string, unknown>)[domain];
    path = `$.${domain}`;
  }
  const list = Array.isArray(data) ? data : data && typeof data === "object" ? Object.values(data) : null;
  if (!list) throw new InputError(`${file}: ${path}: expected a list or an object of tool schemas`, "use the shape of tau2/tool_schemas.json");
  const out: ToolSchema[] = [];
  for (const [i, item] of list.entries()) {
    const r = ToolSchema.safeParse(item);
    const where = Array.isArray(data) ? `${path}[${i}]` : `${path}.${Object.keys(data as object)[i]}`;
    if (!r.success) throw new InputError(`${file}: ${where}.${r.error.issues[0]!.path.join(".")}: ${r.error.issues[0]!.message}`, "each entry must be {type:'function', function:{name, description, parameters}}");
    if (!toolkit.byName.has(r.data.function.name)) throw new InputError(`${file}: ${where}: "${r.data.function.name}" is not a ${domain} tool`, `the ${domain} tools are: ${[...toolkit.byName.keys()].join(", ")}`);
    out.push(r.data);
  }
  const missing = [...toolkit.byName.keys()].filter((name) => !out.some((t) => t.function.name === name));
  if (missing.length) throw new InputError(`${file}: ${path}: no schema for ${missing.join(", ")}`, `a ${domain} schema file must describe all ${toolkit.byName.size} tools`);
  return out;
}
