/**
 * The 14 airline tools, following upstream `AirlineTools` step by step (same checks, same order, partial
 * mutations left in place when a later step fails, Python semantics for odd argument types).
 */
import { calculate } from "../../calc.ts";
import type { DbState } from "../../environment.ts";
import { attributeError, clone, dget, isDict, isModel, keyError, str, valueError, type Py, type PyDict, type PyMap } from "../../py.ts";
import { add, contains, eq, hashable, iter, len, lt, max, mul, neg, sub, sum } from "../../pyops.ts";
import { construct, type ModelSpec } from "../../pydantic.ts";
import { Toolkit, type ToolDef } from "../../toolkit.ts";
import { AirportCode, Certificate, DirectFlight, FlightInfo, Passenger, Payment, Reservation, ReservationFlight } from "./data-model.ts";

type Args = Readonly<Record<string, Py>>;
const NOW = "2024-05-15T15:00:00";
const RESERVATION_IDS = ["HATHAT", "HATHAU", "HATHAV"];
const CERTIFICATE_IDS = ["certificate_3221322", "certificate_3221323", "certificate_3221324"];

const getUser = (db: DbState, id: Py): PyDict => {
  if (!db.table("users").has(id)) throw valueError(`User ${str(id)} not found`);
  return db.table("users").get(id as string);
};
const getReservation = (db: DbState, id: Py): PyDict => {
  if (!db.table("reservations").has(id)) throw valueError(`Reservation ${str(id)} not found`);
  return db.table("reservations").get(id as string);
};
const getFlight = (db: DbState, fn: Py): PyDict => {
  if (!db.table("flights").has(fn)) throw valueError(`Flight ${str(fn)} not found`);
  return db.table("flights").get(fn as string);
};
const getFlightInstance = (db: DbState, fn: Py, date: Py): PyDict => {
  const flight = getFlight(db, fn);
  if (!contains(flight.dates!, date)) throw valueError(`Flight ${str(fn)} not found on date ${str(date)}`);
  return dget(flight.dates!, date as string) as PyDict;
};
/** `getattr(x, name)` on what should be a model built from a dict. */
const attr = (x: Py, name: string): Py => {
  if (!isModel(x) || !Object.hasOwn(x, name)) throw attributeError(x, name);
  return (x as unknown as PyDict)[name]!;
};
/** `if all(isinstance(x, dict) for x in v): v = [Model(**x) for x in v]` */
function fromDicts(v: Py, model: ModelSpec): Py {
  const elems = iter(v);
  return elems.every(isDict) ? elems.map((x) => construct(model, x as PyMap)) : v;
}
/** `dict[key]` on a plain dict (KeyError / unhashable like Python). */
function index(d: Py, key: Py): Py {
  hashable(key);
  if (typeof key === "string" && (d as PyMap).has(key)) return dget(d, key);
  throw keyError(key);
}

function searchDirect(db: DbState, date: Py, origin: Py, destination: Py, leaveAfter: Py): PyDict[] {
  const results: PyDict[] = [];
  for (const f of db.table("flights").values()) {
    // Same short-circuit order as upstream: the date lookup only runs once origin/destination match.
    if (origin !== null && !eq(f.origin!, origin)) continue;
    if (destination !== null && !eq(f.destination!, destination)) continue;
    if (!contains(f.dates!, date)) continue;
    const d = dget(f.dates!, date as string) as PyDict;
    if (d.status !== "available") continue;
    if (leaveAfter !== null && !lt(f.scheduled_departure_time_est!, leaveAfter, ">=")) continue;
    results.push(
      construct(DirectFlight, {
        flight_number: f.flight_number!,
        origin: f.origin!,
        destination: f.destination!,
        status: "available",
        scheduled_departure_time_est: f.scheduled_departure_time_est!,
        scheduled_arrival_time_est: f.scheduled_arrival_time_est!,
        available_seats: d.available_seats!,
        prices: d.prices!,
      }),
    );
  }
  return results;
}

/** Upstream `_payment_for_update`: checks run even for a zero price; gift cards pay (or get) the difference. */
function paymentForUpdate(db: DbState, userId: string, paymentId: Py, total: Py): PyDict | null {
  const user = db.table("users").get(userId);
  if (!contains(user.payment_methods!, paymentId)) throw valueError("Payment method not found");
  const pm = dget(user.payment_methods!, paymentId as string) as PyDict;
  if (pm.source === "certificate") throw valueError("Certificate cannot be used to update reservation");
  if (pm.source === "gift_card" && lt(pm.amount!, total)) throw valueError("Gift card balance is not enough");
  if (pm.source === "gift_card") {
    const m = dget(db.table("users").mut(userId).payment_methods!, paymentId as string) as PyDict;
    m.amount = sub(m.amount!, total, "-=");
  }
  return eq(total, 0) ? null : construct(Payment, { payment_id: paymentId, amount: total });
}

const tool = (name: string, params: string[], mutates: boolean, run: (db: DbState, a: Args) => Py): ToolDef => ({ name, params, mutates, run });

function bookReservation(db: DbState, a: Args): Py {
  const flights = fromDicts(a.flights!, FlightInfo);
  const passengers = fromDicts(a.passengers!, Passenger);
  const payments = fromDicts(a.payment_methods!, Payment);
  const user = getUser(db, a.user_id!);
  const userId = a.user_id as string;
  const reservationId = RESERVATION_IDS.find((id) => !db.table("reservations").has(id));
  if (!reservationId) throw valueError("Too many reservations");
  const reservation = construct(Reservation, {
    reservation_id: reservationId,
    user_id: a.user_id!,
    origin: a.origin!,
    destination: a.destination!,
    flight_type: a.flight_type!,
    cabin: a.cabin!,
    flights: [],
    passengers: clone(passengers),
    payment_history: clone(payments),
    created_at: NOW,
    total_baggages: a.total_baggages!,
    nonfree_baggages: a.nonfree_baggages!,
    insurance: a.insurance!,
  });
  const cabin = a.cabin as string;
  const nPax = len(passengers);
  let total: Py = 0;
  const used: [string, string][] = [];
  for (const info of iter(flights)) {
    const fn = attr(info, "flight_number");
    const flight = getFlight(db, fn);
    const date = attr(info, "date");
    const data = getFlightInstance(db, fn, date);
    if (data.status !== "available") throw valueError(`Flight ${str(fn)} not available on date ${str(date)}`);
    if (lt(dget(data.available_seats!, cabin), nPax)) throw valueError(`Not enough seats on flight ${str(fn)}`);
    const price = dget(data.prices!, cabin);
    (reservation.flights as Py[]).push(construct(ReservationFlight, { origin: flight.origin!, destination: flight.destination!, flight_number: fn, date, price }));
    used.push([fn as string, date as string]);
    total = add(total, mul(price, nPax), "+=");
  }
  if (a.insurance === "yes") total = add(total, 30 * nPax, "+=");
  total = add(total, mul(50, a.nonfree_baggages!), "+=");
  const methods = user.payment_methods as PyMap;
  for (const p of payments as PyDict[]) {
    if (!contains(methods, p.payment_id!)) throw valueError(`Payment method ${str(p.payment_id!)} not found`);
    const m = methods.get(p.payment_id as string) as PyDict;
    if ((m.source === "gift_card" || m.source === "certificate") && lt(m.amount!, p.amount!)) throw valueError(`Not enough balance in payment method ${str(p.payment_id!)}`);
  }
  const paid = sum((payments as PyDict[]).map((p) => p.amount!));
  if (!eq(paid, total)) throw valueError(`Payment amount does not add up, total price is ${str(total)}, but paid ${str(paid)}`);
  const u = db.table("users").mut(userId);
  for (const p of payments as PyDict[]) {
    const pms = u.payment_methods as PyMap;
    const id = p.payment_id as string;
    const m = pms.get(id) as PyDict | undefined;
    if (m === undefined) throw keyError(id); // a certificate listed twice: the second pop fails
    if (m.source === "gift_card") m.amount = sub(m.amount!, p.amount!, "-=");
    else if (m.source === "certificate") pms.delete(id); // leftover certificate value is lost
  }
  for (const [fn, date] of used) {
    const seats = (dget(db.table("flights").mut(fn).dates!, date) as PyDict).available_seats as PyMap;
    seats.set(cabin, sub(seats.get(cabin)!, nPax, "-="));
  }
  db.table("reservations").set(reservationId, reservation);
  (u.reservations as Py[]).push(reservationId);
  return reservation;
}

function updateFlights(db: DbState, a: Args): Py {
  const flights = fromDicts(a.flights!, FlightInfo);
  const res = getReservation(db, a.reservation_id!);
  const userId = getUser(db, res.user_id!).user_id as string;
  const nPax = len(res.passengers!);
  let total: Py = 0;
  const chosen: Py[] = [];
  for (const info of iter(flights)) {
    const kept = (res.flights as PyDict[]).find(
      (rf) => eq(rf.flight_number!, attr(info, "flight_number")) && eq(rf.date!, attr(info, "date")) && eq(a.cabin!, res.cabin!),
    );
    if (kept) {
      // Same flight, same date, same cabin: keep the segment at the price paid.
      total = add(total, mul(kept.price!, nPax), "+=");
      chosen.push(kept);
      continue;
    }
    const fn = attr(info, "flight_number");
    const flight = getFlight(db, fn);
    const date = attr(info, "date");
    const data = getFlightInstance(db, fn, date);
    if (data.status !== "available") throw valueError(`Flight ${str(fn)} not available on date ${str(date)}`);
    if (lt(index(data.available_seats!, a.cabin!), nPax)) throw valueError(`Not enough seats on flight ${str(fn)}`);
    const rf = construct(ReservationFlight, { flight_number: fn, date, price: index(data.prices!, a.cabin!), origin: flight.origin!, destination: flight.destination! });
    total = add(total, mul(rf.price!, nPax), "+=");
    chosen.push(rf);
  }
  total = sub(total, mul(sum((res.flights as PyDict[]).map((f) => f.price!)), nPax), "-=");
  const payment = paymentForUpdate(db, userId, a.payment_id!, total);
  const r = db.table("reservations").mut(res.reservation_id as string);
  if (payment) (r.payment_history as Py[]).push(payment);
  r.flights = clone(chosen);
  r.cabin = a.cabin!; // seat inventory is not touched (upstream)
  return r;
}

const AIRLINE_TOOLS: readonly ToolDef[] = [
  tool("book_reservation", ["user_id", "origin", "destination", "flight_type", "cabin", "flights", "passengers", "payment_methods", "total_baggages", "nonfree_baggages", "insurance"], true, bookReservation),

  tool("calculate", ["expression"], false, (_db, a) => calculate(a.expression!)),

  tool("cancel_reservation", ["reservation_id"], true, (db, a) => {
    const res = getReservation(db, a.reservation_id!);
    const r = db.table("reservations").mut(res.reservation_id as string);
    const history = r.payment_history as PyDict[];
    // Refund entries only: seats and balances are not restored upstream.
    const refunds = history.map((p) => construct(Payment, { payment_id: p.payment_id!, amount: neg(p.amount!) }));
    history.push(...refunds);
    r.status = "cancelled";
    return r;
  }),

  tool("get_reservation_details", ["reservation_id"], false, (db, a) => getReservation(db, a.reservation_id!)),
  tool("get_user_details", ["user_id"], false, (db, a) => getUser(db, a.user_id!)),

  tool("list_all_airports", [], false, () =>
    (
      [
        ["SFO", "San Francisco"], ["JFK", "New York"], ["LAX", "Los Angeles"], ["ORD", "Chicago"], ["DFW", "Dallas"],
        ["DEN", "Denver"], ["SEA", "Seattle"], ["ATL", "Atlanta"], ["MIA", "Miami"], ["BOS", "Boston"],
        ["PHX", "Phoenix"], ["IAH", "Houston"], ["LAS", "Las Vegas"], ["MCO", "Orlando"], ["EWR", "Newark"],
        ["CLT", "Charlotte"], ["MSP", "Minneapolis"], ["DTW", "Detroit"], ["PHL", "Philadelphia"], ["LGA", "LaGuardia"],
      ] as const
    ).map(([iata, city]) => construct(AirportCode, { iata, city })),
  ),

  tool("search_direct_flight", ["origin", "destination", "date"], false, (db, a) => searchDirect(db, a.date!, a.origin!, a.destination!, null)),

  tool("search_onestop_flight", ["origin", "destination", "date"], false, (db, a) => {
    const results: Py[] = [];
    for (const first of searchDirect(db, a.date!, a.origin!, null, null)) {
      first.date = a.date!;
      // Upstream quirk: next day built without zero padding ("2024-05-7" never matches a date key).
      const date2 = (first.scheduled_arrival_time_est as string).includes("+1") ? `2024-05-${parseInt((a.date as string).slice(-2), 10) + 1}` : a.date!;
      for (const second of searchDirect(db, date2, first.destination!, a.destination!, first.scheduled_arrival_time_est!)) {
        second.date = date2;
        results.push([first, second]);
      }
    }
    return results;
  }),

  tool("send_certificate", ["user_id", "amount"], true, (db, a) => {
    const user = getUser(db, a.user_id!);
    for (const id of CERTIFICATE_IDS) {
      if (contains(user.payment_methods!, id)) continue;
      const cert = construct(Certificate, { id, amount: a.amount!, source: "certificate" });
      (db.table("users").mut(user.user_id as string).payment_methods as PyMap).set(id, cert);
      return `Certificate ${id} added to user ${str(a.user_id!)} with amount ${str(a.amount!)}.`;
    }
    throw valueError("Too many certificates");
  }),

  tool("transfer_to_human_agents", ["summary"], false, () => "Transfer successful"),

  tool("update_reservation_baggages", ["reservation_id", "total_baggages", "nonfree_baggages", "payment_id"], true, (db, a) => {
    const res = getReservation(db, a.reservation_id!);
    const userId = getUser(db, res.user_id!).user_id as string;
    const price = mul(50, max(0, sub(a.nonfree_baggages!, res.nonfree_baggages!)));
    const payment = paymentForUpdate(db, userId, a.payment_id!, price);
    const r = db.table("reservations").mut(res.reservation_id as string);
    if (payment) (r.payment_history as Py[]).push(payment);
    r.total_baggages = a.total_baggages!;
    r.nonfree_baggages = a.nonfree_baggages!;
    return r;
  }),

  tool("update_reservation_flights", ["reservation_id", "cabin", "flights", "payment_id"], true, updateFlights),

  tool("update_reservation_passengers", ["reservation_id", "passengers"], true, (db, a) => {
    const passengers = fromDicts(a.passengers!, Passenger);
    const res = getReservation(db, a.reservation_id!);
    if (len(passengers) !== len(res.passengers!)) throw valueError("Number of passengers does not match");
    const r = db.table("reservations").mut(res.reservation_id as string);
    r.passengers = clone(passengers);
    return r;
  }),

  tool("get_flight_status", ["flight_number", "date"], false, (db, a) => getFlightInstance(db, a.flight_number!, a.date!).status!),
];

export const airlineToolkit = new Toolkit("AirlineTools", AIRLINE_TOOLS);

