import { describe, expect, test } from "bun:test";
import { env, err, ok, rec } from "./helpers.ts";

const BOOK = {
  user_id: "mia_li_1",
  origin: "JFK",
  destination: "LAX",
  flight_type: "one_way",
  cabin: "economy",
  flights: [{ flight_number: "HAT001", date: "2024-05-16" }],
  passengers: [{ first_name: "Mia", last_name: "Li", dob: "1990-04-05" }],
  payment_methods: [{ payment_id: "credit_card_1", amount: 180 }],
  total_baggages: 2,
  nonfree_baggages: 1,
  insurance: "yes",
};

describe("airline: book_reservation", () => {
  test("total = price×pax + 30×pax insurance + 50×paid bags; seats taken; fixed id and clock", () => {
    const e = env("airline");
    const r = ok(e, "book_reservation", BOOK);
    expect(r.reservation_id).toBe("HATHAT");
    expect(r.created_at).toBe("2024-05-15T15:00:00");
    expect(r.status).toBeNull();
    expect(r.flights).toEqual([{ flight_number: "HAT001", origin: "JFK", destination: "LAX", date: "2024-05-16", price: 100 }]);
    expect(rec(e, "flights", "HAT001").dates["2024-05-16"].available_seats.economy).toBe(2);
    expect(rec(e, "users", "mia_li_1").reservations).toEqual(["ABC123", "HATHAT"]);
    expect(ok(e, "book_reservation", BOOK).reservation_id).toBe("HATHAU");
    expect(ok(e, "book_reservation", BOOK).reservation_id).toBe("HATHAV");
    expect(err(e, "book_reservation", BOOK)).toBe("Error: Too many reservations");
  });
  test("gift card pays down; a used certificate disappears whatever is left", () => {
    const e = env("airline");
    ok(e, "book_reservation", { ...BOOK, payment_methods: [{ payment_id: "gift_card_1", amount: 130 }, { payment_id: "certificate_1", amount: 50 }] });
    const pms = rec(e, "users", "mia_li_1").payment_methods;
    expect(pms.gift_card_1.amount).toBe(70);
    expect(pms.certificate_1).toBeUndefined();
    expect(e.call("get_user_details", { user_id: "mia_li_1" }).content).toContain('"gift_card_1": {"source": "gift_card", "id": "gift_card_1", "amount": 70.0}');
  });
  test("errors", () => {
    const e = env("airline");
    const x = (o: object) => err(e, "book_reservation", { ...BOOK, ...o });
    expect(x({ user_id: "nobody" })).toBe("Error: User nobody not found");
    expect(x({ flights: [{ flight_number: "HAT999", date: "2024-05-16" }] })).toBe("Error: Flight HAT999 not found");
    expect(x({ flights: [{ flight_number: "HAT001", date: "2024-05-20" }] })).toBe("Error: Flight HAT001 not found on date 2024-05-20");
    expect(x({ flights: [{ flight_number: "HAT001", date: "2024-05-17" }] })).toBe("Error: Flight HAT001 not available on date 2024-05-17");
    expect(x({ cabin: "business", passengers: [BOOK.passengers[0], BOOK.passengers[0]] })).toBe("Error: Not enough seats on flight HAT001");
    expect(x({ payment_methods: [{ payment_id: "credit_card_9", amount: 180 }] })).toBe("Error: Payment method credit_card_9 not found");
    expect(x({ payment_methods: [{ payment_id: "certificate_1", amount: 180 }] })).toBe("Error: Not enough balance in payment method certificate_1");
    expect(x({ payment_methods: [{ payment_id: "credit_card_1", amount: 100 }] })).toBe("Error: Payment amount does not add up, total price is 180, but paid 100");
    expect(x({ cabin: "first" })).toBe(
      "Error: 1 validation error for Reservation\ncabin\n  Input should be 'business', 'economy' or 'basic_economy' [type=literal_error, input_value='first', input_type=str]\n    For further information visit https://errors.pydantic.dev/2.12/v/literal_error",
    );
    expect(x({ passengers: [{ first_name: "Mia" }] })).toContain("2 validation errors for Passenger\nlast_name\n  Field required [type=missing, input_value={'first_name': 'Mia'}, input_type=dict]");
    expect(x({ flights: ["HAT001"] })).toBe("Error: 'str' object has no attribute 'flight_number'");
    expect(x({ flights: 3 })).toBe("Error: 'int' object is not iterable");
    expect(x({ nonfree_baggages: "1" })).toBe("Error: unsupported operand type(s) for +=: 'int' and 'str'");
    // Nothing was booked by the failed calls.
    expect(e.state.diff()).toEqual({});
  });
});

describe("airline: cancel_reservation", () => {
  test("appends negative refunds, releases nothing, repeatable", () => {
    const e = env("airline");
    const r = ok(e, "cancel_reservation", { reservation_id: "ABC123" });
    expect(r.status).toBe("cancelled");
    expect(r.payment_history).toEqual([{ payment_id: "credit_card_1", amount: 90 }, { payment_id: "credit_card_1", amount: -90 }]);
    expect(ok(e, "cancel_reservation", { reservation_id: "ABC123" }).payment_history).toHaveLength(4);
    expect(e.state.diff().flights).toBeUndefined();
    expect(err(e, "cancel_reservation", { reservation_id: "ZZZ" })).toBe("Error: Reservation ZZZ not found");
  });
});

describe("airline: reads", () => {
  test("status, details, airports", () => {
    const e = env("airline");
    expect(ok(e, "get_flight_status", { flight_number: "HAT001", date: "2024-05-01" })).toBe("landed");
    expect(err(e, "get_flight_status", { flight_number: "HAT001", date: "2024-06-01" })).toBe("Error: Flight HAT001 not found on date 2024-06-01");
    expect(err(e, "get_flight_status", { flight_number: "HAT9", date: "2024-06-01" })).toBe("Error: Flight HAT9 not found");
    expect(e.call("get_reservation_details", { reservation_id: "ABC123" }).content).toContain('"insurance": "no", "status": null}');
    expect(err(e, "get_user_details", { user_id: "x" })).toBe("Error: User x not found");
    const airports = ok(e, "list_all_airports", {});
    expect(airports).toHaveLength(20);
    expect(airports.at(-1)).toEqual({ iata: "LGA", city: "LaGuardia" });
  });
  test("search_direct_flight: only 'available' dates, DirectFlight shape with date null", () => {
    const e = env("airline");
    expect(e.call("search_direct_flight", { origin: "JFK", destination: "LAX", date: "2024-05-16" }).content).toBe(
      '[{"flight_number": "HAT001", "origin": "JFK", "destination": "LAX", "status": "available", "scheduled_departure_time_est": "08:00:00", "scheduled_arrival_time_est": "11:00:00", "date": null, "available_seats": {"basic_economy": 5, "economy": 3, "business": 1}, "prices": {"basic_economy": 50, "economy": 100, "business": 300}}]',
    );
    expect(ok(e, "search_direct_flight", { origin: "JFK", destination: "LAX", date: "2024-05-17" })).toEqual([]);
  });
  test("search_onestop_flight: string time comparison, next day after '+1', unpadded day quirk", () => {
    const e = env("airline");
    const same = ok(e, "search_onestop_flight", { origin: "JFK", destination: "SFO", date: "2024-05-16" });
    expect(same.map((p: any) => p.map((f: any) => [f.flight_number, f.date]))).toEqual([[["HAT001", "2024-05-16"], ["HAT002", "2024-05-16"]]]);
    const overnight = ok(e, "search_onestop_flight", { origin: "JFK", destination: "LAX", date: "2024-05-16" });
    expect(overnight.map((p: any) => p.map((f: any) => [f.flight_number, f.date]))).toEqual([[["HAT003", "2024-05-16"], ["HAT004", "2024-05-17"]]]);
    // 2024-05-08 + 1 day is built as "2024-05-9", which matches no date key.
    expect(ok(e, "search_onestop_flight", { origin: "JFK", destination: "LAX", date: "2024-05-08" })).toEqual([]);
  });
});

describe("airline: send_certificate", () => {
  test("ids certificate_3221322.., float amount, message echoes the argument", () => {
    const e = env("airline");
    expect(ok(e, "send_certificate", { user_id: "mia_li_1", amount: 50 })).toBe("Certificate certificate_3221322 added to user mia_li_1 with amount 50.");
    expect(rec(e, "users", "mia_li_1").payment_methods.certificate_3221322).toEqual({ source: "certificate", id: "certificate_3221322", amount: 50 });
    expect(e.call("get_user_details", { user_id: "mia_li_1" }).content).toContain('"amount": 50.0}');
    ok(e, "send_certificate", { user_id: "mia_li_1", amount: 1 });
    ok(e, "send_certificate", { user_id: "mia_li_1", amount: 1 });
    expect(err(e, "send_certificate", { user_id: "mia_li_1", amount: 1 })).toBe("Error: Too many certificates");
    expect(err(e, "send_certificate", { user_id: "bob", amount: 1 })).toBe("Error: User bob not found");
  });
});

describe("airline: update_reservation_baggages", () => {
  test("50 per extra paid bag; checks run even at price 0; totals overwritten", () => {
    const e = env("airline");
    const r = ok(e, "update_reservation_baggages", { reservation_id: "ABC123", total_baggages: 3, nonfree_baggages: 2, payment_id: "gift_card_1" });
    expect(r.payment_history.at(-1)).toEqual({ payment_id: "gift_card_1", amount: 100 });
    expect([r.total_baggages, r.nonfree_baggages]).toEqual([3, 2]);
    expect(rec(e, "users", "mia_li_1").payment_methods.gift_card_1.amount).toBe(100);
    expect(err(e, "update_reservation_baggages", { reservation_id: "ABC123", total_baggages: 0, nonfree_baggages: 0, payment_id: "certificate_1" })).toBe(
      "Error: Certificate cannot be used to update reservation",
    );
    expect(err(e, "update_reservation_baggages", { reservation_id: "ABC123", total_baggages: 9, nonfree_baggages: 9, payment_id: "gift_card_1" })).toBe("Error: Gift card balance is not enough");
    expect(err(e, "update_reservation_baggages", { reservation_id: "ABC123", total_baggages: 9, nonfree_baggages: 9, payment_id: "nope" })).toBe("Error: Payment method not found");
    const removed = ok(e, "update_reservation_baggages", { reservation_id: "ABC123", total_baggages: 0, nonfree_baggages: 0, payment_id: "credit_card_1" });
    expect(removed.payment_history).toHaveLength(2);
  });
});

describe("airline: update_reservation_flights", () => {
  test("unchanged segment keeps its old price; new ones at current price; seats untouched", () => {
    const e = env("airline");
    const flights = [{ flight_number: "HAT001", date: "2024-05-16" }, { flight_number: "HAT002", date: "2024-05-16" }];
    const r = ok(e, "update_reservation_flights", { reservation_id: "ABC123", cabin: "economy", flights, payment_id: "gift_card_1" });
    expect(r.flights.map((f: any) => f.price)).toEqual([90, 80]);
    expect(r.payment_history.at(-1)).toEqual({ payment_id: "gift_card_1", amount: 80 });
    expect(rec(e, "users", "mia_li_1").payment_methods.gift_card_1.amount).toBe(120);
    expect(e.state.diff().flights).toBeUndefined();
  });
  test("a cabin change reprices every segment; a negative total refunds the gift card", () => {
    const e = env("airline");
    const r = ok(e, "update_reservation_flights", { reservation_id: "ABC123", cabin: "basic_economy", flights: [{ flight_number: "HAT001", date: "2024-05-16" }], payment_id: "gift_card_1" });
    expect(r.cabin).toBe("basic_economy");
    expect(r.payment_history.at(-1)).toEqual({ payment_id: "gift_card_1", amount: -40 });
    expect(rec(e, "users", "mia_li_1").payment_methods.gift_card_1.amount).toBe(240);
  });
  test("errors", () => {
    const e = env("airline");
    const x = (o: object) => err(e, "update_reservation_flights", { reservation_id: "ABC123", cabin: "economy", flights: [{ flight_number: "HAT001", date: "2024-05-17" }], payment_id: "credit_card_1", ...o });
    expect(x({})).toBe("Error: Flight HAT001 not available on date 2024-05-17");
    expect(x({ reservation_id: "NOPE" })).toBe("Error: Reservation NOPE not found");
    expect(x({ cabin: "first", flights: [{ flight_number: "HAT002", date: "2024-05-16" }] })).toBe("Error: 'first'");
    expect(x({ flights: [{ flight_number: "HAT002" }] })).toContain("1 validation error for FlightInfo\ndate\n  Field required");
    expect(x({ flights: [{ flight_number: "HAT002", date: "2024-05-16" }], payment_id: "certificate_1" })).toBe("Error: Certificate cannot be used to update reservation");
  });
});

describe("airline: update_reservation_passengers", () => {
  test("same count required; passengers replaced", () => {
    const e = env("airline");
    const p = [{ first_name: "Noah", last_name: "Li", dob: "2000-01-01" }];
    expect(ok(e, "update_reservation_passengers", { reservation_id: "ABC123", passengers: p }).passengers).toEqual(p);
    expect(err(e, "update_reservation_passengers", { reservation_id: "ABC123", passengers: [...p, ...p] })).toBe("Error: Number of passengers does not match");
    expect(err(e, "update_reservation_passengers", { reservation_id: "ABC123" })).toBe(
      "Error: AirlineTools.update_reservation_passengers() missing 1 required positional argument: 'passengers'",
    );
  });
});
