/**
 * Airline records as upstream's pydantic models declare them: field order = `model_dump` order (db.json
 * stores flights as origin, destination, flight_number…, the model dumps flight_number first), plus the
 * float fields (gift card and certificate `amount`).
 */
import { z } from "zod";
import { T, type ModelSpec } from "../../pydantic.ts";

const CABINS = ["business", "economy", "basic_economy"] as const;
const s = (...names: string[]) => names.map((name) => ({ name, type: T.str }));

export const Passenger: ModelSpec = { name: "Passenger", fields: s("first_name", "last_name", "dob") };
export const FlightInfo: ModelSpec = { name: "FlightInfo", fields: s("flight_number", "date") };
export const Payment: ModelSpec = { name: "Payment", fields: [{ name: "payment_id", type: T.str }, { name: "amount", type: T.int }] };
export const Certificate: ModelSpec = {
  name: "Certificate",
  fields: [
    { name: "source", type: T.lit("certificate") },
    { name: "id", type: T.str },
    { name: "amount", type: T.float },
  ],
};
const CreditCard: ModelSpec = { name: "CreditCard", fields: [{ name: "source", type: T.lit("credit_card") }, ...s("id", "brand", "last_four")] };
const GiftCard: ModelSpec = {
  name: "GiftCard",
  fields: [
    { name: "source", type: T.lit("gift_card") },
    { name: "id", type: T.str },
    { name: "amount", type: T.float },
  ],
};
const seats = T.dict(T.int);
const dateStatus = (name: string, status: string, ...times: string[]): ModelSpec => ({ name, fields: [{ name: "status", type: T.lit(status) }, ...s(...times)] });
const FlightDateStatus = T.tagged("status", {
  available: { name: "FlightDateStatusAvailable", fields: [{ name: "status", type: T.lit("available") }, { name: "available_seats", type: seats }, { name: "prices", type: seats }] },
  landed: dateStatus("FlightDateStatusLanded", "landed", "actual_departure_time_est", "actual_arrival_time_est"),
  cancelled: dateStatus("FlightDateStatusCancelled", "cancelled"),
  delayed: dateStatus("FlightDateStatusDelayed", "delayed", "estimated_departure_time_est", "estimated_arrival_time_est"),
  flying: dateStatus("FlightDataStatusFlying", "flying", "actual_departure_time_est", "estimated_arrival_time_est"),
  "on time": dateStatus("FlightDataStatusOnTime", "on time", "estimated_departure_time_est", "estimated_arrival_time_est"),
});
export const Flight: ModelSpec = {
  name: "Flight",
  fields: [...s("flight_number", "origin", "destination", "scheduled_departure_time_est", "scheduled_arrival_time_est"), { name: "dates", type: T.dict(FlightDateStatus) }],
};
export const DirectFlight: ModelSpec = {
  name: "DirectFlight",
  fields: [
    ...s("flight_number", "origin", "destination"),
    { name: "status", type: T.lit("available") },
    ...s("scheduled_departure_time_est", "scheduled_arrival_time_est"),
    { name: "date", type: T.optional(T.str), default: null },
    { name: "available_seats", type: seats },
    { name: "prices", type: seats },
  ],
};
export const ReservationFlight: ModelSpec = {
  name: "ReservationFlight",
  fields: [...s("flight_number", "origin", "destination", "date"), { name: "price", type: T.int }],
};
const Address: ModelSpec = {
  name: "Address",
  fields: [...s("address1"), { name: "address2", type: T.optional(T.str), default: null }, ...s("city", "country", "state", "zip")],
};
export const User: ModelSpec = {
  name: "User",
  fields: [
    ...s("user_id"),
    { name: "name", type: T.model({ name: "Name", fields: s("first_name", "last_name") }) },
    { name: "address", type: T.model(Address) },
    ...s("email", "dob"),
    { name: "payment_methods", type: T.dict(T.tagged("source", { credit_card: CreditCard, gift_card: GiftCard, certificate: Certificate })) },
    { name: "saved_passengers", type: T.list(T.model(Passenger)) },
    { name: "membership", type: T.lit("gold", "silver", "regular") },
    { name: "reservations", type: T.list(T.str) },
  ],
};
export const Reservation: ModelSpec = {
  name: "Reservation",
  fields: [
    ...s("reservation_id", "user_id", "origin", "destination"),
    { name: "flight_type", type: T.lit("round_trip", "one_way") },
    { name: "cabin", type: T.lit(...CABINS) },
    { name: "flights", type: T.list(T.model(ReservationFlight)) },
    { name: "passengers", type: T.list(T.model(Passenger)) },
    { name: "payment_history", type: T.list(T.model(Payment)) },
    ...s("created_at"),
    { name: "total_baggages", type: T.int },
    { name: "nonfree_baggages", type: T.int },
    { name: "insurance", type: T.lit("yes", "no") },
    { name: "status", type: T.optional(T.lit("cancelled")), default: null },
  ],
};
export const AirportCode: ModelSpec = { name: "AirportCode", fields: s("iata", "city") };

export const AIRLINE_TABLES = { flights: Flight, users: User, reservations: Reservation } as const;

// ---- zod: what an airline db.json must look like ----
const str = z.string();
const cabinMap = z.record(z.enum(CABINS), z.number().int());
const dateStatusSchema = z.discriminatedUnion("status", [
  z.object({ status: z.literal("available"), available_seats: cabinMap, prices: cabinMap }),
  z.object({ status: z.literal("landed"), actual_departure_time_est: str, actual_arrival_time_est: str }),
  z.object({ status: z.literal("cancelled") }),
  z.object({ status: z.literal("delayed"), estimated_departure_time_est: str, estimated_arrival_time_est: str }),
  z.object({ status: z.literal("flying"), actual_departure_time_est: str, estimated_arrival_time_est: str }),
  z.object({ status: z.literal("on time"), estimated_departure_time_est: str, estimated_arrival_time_est: str }),
]);
const passenger = z.object({ first_name: str, last_name: str, dob: str });
export const AirlineDbSchema = z.object({
  flights: z.record(
    str,
    z.object({ flight_number: str, origin: str, destination: str, scheduled_departure_time_est: str, scheduled_arrival_time_est: str, dates: z.record(str, dateStatusSchema) }),
  ),
  users: z.record(
    str,
    z.object({
      user_id: str,
      name: z.object({ first_name: str, last_name: str }),
      address: z.object({ address1: str, address2: str.nullish(), city: str, country: str, state: str, zip: str }),
      email: str,
      dob: str,
      payment_methods: z.record(
        str,
        z.discriminatedUnion("source", [
          z.object({ source: z.literal("credit_card"), id: str, brand: str, last_four: str }),
          z.object({ source: z.literal("gift_card"), id: str, amount: z.number() }),
          z.object({ source: z.literal("certificate"), id: str, amount: z.number() }),
        ]),
      ),
      saved_passengers: z.array(passenger),
      membership: z.enum(["gold", "silver", "regular"]),
      reservations: z.array(str),
    }),
  ),
  reservations: z.record(
    str,
    z.object({
      reservation_id: str,
      user_id: str,
      origin: str,
      destination: str,
      flight_type: z.enum(["round_trip", "one_way"]),
      cabin: z.enum(CABINS),
      flights: z.array(z.object({ flight_number: str, origin: str, destination: str, date: str, price: z.number().int() })),
      passengers: z.array(passenger),
      payment_history: z.array(z.object({ payment_id: str, amount: z.number().int() })),
      created_at: str,
      total_baggages: z.number().int(),
      nonfree_baggages: z.number().int(),
      insurance: z.enum(["yes", "no"]),
      status: z.literal("cancelled").nullish(),
    }),
  ),
});
