import { describe, expect, test } from "bun:test";
import { env, err, ok, rec } from "./helpers.ts";

describe("retail: lookups", () => {
  test("find_user_id_by_email is case-insensitive and returns the raw id", () => {
    const e = env("retail");
    expect(e.call("find_user_id_by_email", { email: "bob@example.COM" })).toEqual({ content: "bob_ray_2", error: false });
    expect(err(e, "find_user_id_by_email", { email: "nobody@x.com" })).toBe("Error: User not found");
    expect(err(e, "find_user_id_by_email", { email: 5 })).toBe("Error: 'int' object has no attribute 'lower'");
  });
  test("find_user_id_by_name_zip: names case-insensitive, zip exact", () => {
    const e = env("retail");
    expect(ok(e, "find_user_id_by_name_zip", { first_name: "ANN", last_name: "lee", zip: "10001" })).toBe("ann_lee_1");
    expect(err(e, "find_user_id_by_name_zip", { first_name: "Ann", last_name: "Lee", zip: "10002" })).toBe("Error: User not found");
  });
  test("get_order_details includes null optional fields, Python float text and key order", () => {
    const e = env("retail");
    const content = e.call("get_order_details", { order_id: "#W3" }).content;
    expect(content).toContain('"price": 100.0');
    expect(content).toContain('"cancel_reason": null, "exchange_items": null');
    expect(content.startsWith('{"order_id": "#W3", "user_id": "ann_lee_1", "address": {"address1"')).toBe(true);
    expect(err(e, "get_order_details", { order_id: "W3" })).toBe("Error: Order not found");
    expect(err(e, "get_order_details", { order_id: ["#W3"] })).toBe("Error: unhashable type: 'list'");
  });
  test("get_product_details keeps the file order of numeric variant ids", () => {
    const e = env("retail");
    const content = e.call("get_product_details", { product_id: "9000000002" }).content;
    expect(content.indexOf("2000000005")).toBeLessThan(content.indexOf("2000000004"));
    expect(err(e, "get_product_details", { product_id: "2000000005" })).toBe("Error: Product not found");
  });
  test("get_item_details searches all products", () => {
    const e = env("retail");
    expect(ok(e, "get_item_details", { item_id: "2000000003" })).toEqual({ item_id: "2000000003", options: { color: "green", size: "M" }, available: false, price: 55 });
    expect(err(e, "get_item_details", { item_id: "1000000001" })).toBe("Error: Item not found");
  });
  test("get_user_details and list_all_product_types (sorted JSON string)", () => {
    const e = env("retail");
    expect(ok(e, "get_user_details", { user_id: "bob_ray_2" }).orders).toEqual(["#W4"]);
    expect(err(e, "get_user_details", { user_id: "x" })).toBe("Error: User not found");
    expect(e.call("list_all_product_types", {}).content).toBe('{"Lamp": "9000000002", "Shirt": "1000000001"}');
  });
  test("calculate rounds to 2 places and prints Python floats", () => {
    const e = env("retail");
    expect(ok(e, "calculate", { expression: "3131.1 + 4777.75 + 367.38" })).toBe("8276.23");
    expect(ok(e, "calculate", { expression: "141 * 2" })).toBe("282.0");
    expect(ok(e, "calculate", { expression: "0.125" })).toBe("0.12");
    expect(err(e, "calculate", { expression: "2 ^ 3" })).toBe("Error: Invalid characters in expression");
    expect(err(e, "calculate", { expression: "1 / 0" })).toBe("Error: division by zero");
    expect(err(e, "calculate", { expression: "(1 + 2" })).toBe("Error: '(' was never closed (<string>, line 1)");
  });
  test("transfer_to_human_agents", () => {
    expect(env("retail").call("transfer_to_human_agents", { summary: "help" })).toEqual({ content: "Transfer successful", error: false });
  });
});

describe("retail: argument binding like Python", () => {
  test("missing, extra, unknown tool", () => {
    const e = env("retail");
    expect(err(e, "get_user_details", {})).toBe("Error: RetailTools.get_user_details() missing 1 required positional argument: 'user_id'");
    expect(err(e, "return_delivered_order_items", { order_id: "#W2" })).toBe(
      "Error: RetailTools.return_delivered_order_items() missing 2 required positional arguments: 'item_ids' and 'payment_method_id'",
    );
    expect(err(e, "modify_user_address", { user_id: "x" })).toBe(
      "Error: RetailTools.modify_user_address() missing 6 required positional arguments: 'address1', 'address2', 'city', 'state', 'country', and 'zip'",
    );
    expect(err(e, "get_user_details", { user_id: "ann_lee_1", foo: 1 })).toBe("Error: RetailTools.get_user_details() got an unexpected keyword argument 'foo'");
    expect(err(e, "nope", {})).toBe("Error: Tool 'nope' not found.");
    expect(err(e, "get_user_details", { requestor: "user" })).toBe(
      "Error: tau2.environment.environment.Environment.make_tool_call() got multiple values for keyword argument 'requestor'",
    );
  });
});

describe("retail: cancel_pending_order", () => {
  test("refunds every payment, status and reason set", () => {
    const e = env("retail");
    const o = ok(e, "cancel_pending_order", { order_id: "#W1", reason: "ordered by mistake" });
    expect(o.status).toBe("cancelled");
    expect(o.cancel_reason).toBe("ordered by mistake");
    expect(o.payment_history.at(-1)).toEqual({ transaction_type: "refund", amount: 150, payment_method_id: "credit_card_1" });
  });
  test("a gift card is refunded at once", () => {
    const e = env("retail");
    ok(e, "cancel_pending_order", { order_id: "#W4", reason: "no longer needed" });
    expect(rec(e, "users", "bob_ray_2").payment_methods.gift_card_2.balance).toBe(600);
  });
  test("errors in upstream order", () => {
    const e = env("retail");
    expect(err(e, "cancel_pending_order", { order_id: "#W9", reason: "x" })).toBe("Error: Order not found");
    expect(err(e, "cancel_pending_order", { order_id: "#W5", reason: "no longer needed" })).toBe("Error: Non-pending order cannot be cancelled");
    expect(err(e, "cancel_pending_order", { order_id: "#W1", reason: "changed my mind" })).toBe("Error: Invalid reason");
  });
});

describe("retail: exchange_delivered_order_items", () => {
  test("records the request only (no payment, no balance change)", () => {
    const e = env("retail");
    const o = ok(e, "exchange_delivered_order_items", { order_id: "#W2", item_ids: ["2000000001", "2000000001"], new_item_ids: ["2000000002", "2000000001"], payment_method_id: "credit_card_1" });
    expect(o.status).toBe("exchange requested");
    expect(o.exchange_items).toEqual(["2000000001", "2000000001"]);
    expect(o.exchange_new_items).toEqual(["2000000001", "2000000002"]);
    expect(o.exchange_price_difference).toBe(10.5);
    expect(o.payment_history).toHaveLength(1);
    expect(rec(e, "users", "ann_lee_1").payment_methods.gift_card_1.balance).toBe(10);
  });
  test("errors", () => {
    const e = env("retail");
    const x = (o: object) => err(e, "exchange_delivered_order_items", { order_id: "#W2", item_ids: ["2000000001"], new_item_ids: ["2000000002"], payment_method_id: "credit_card_1", ...o });
    expect(x({ order_id: "#W1" })).toBe("Error: Non-delivered order cannot be exchanged");
    expect(x({ item_ids: ["2000000001", "2000000001", "2000000001"] })).toBe("Error: Number of 2000000001 not found.");
    expect(x({ new_item_ids: [] })).toBe("Error: The number of items to be exchanged should match.");
    expect(x({ new_item_ids: ["2000000004"] })).toBe("Error: Variant not found");
    expect(x({ new_item_ids: ["2000000003"] })).toBe("Error: New item 2000000003 not found or available");
    expect(x({ payment_method_id: "gift_card_2" })).toBe("Error: Payment method not found");
    expect(x({ item_ids: "2" })).toBe("Error: Number of 2 not found.");
  });
  test("a gift card must cover the difference; the same item back is allowed", () => {
    const e = env("retail");
    const args = { order_id: "#W2", item_ids: ["2000000001"], new_item_ids: ["2000000002"], payment_method_id: "gift_card_1" };
    expect(err(e, "exchange_delivered_order_items", args)).toBe("Error: Insufficient gift card balance to pay for the price difference");
    expect(ok(e, "exchange_delivered_order_items", { ...args, new_item_ids: ["2000000001"] }).exchange_price_difference).toBe(0);
  });
});

describe("retail: modify_pending_order_items", () => {
  test("quirk: every modified item takes the last new variant's price and options; diff not rounded", () => {
    const e = env("retail");
    const o = ok(e, "modify_pending_order_items", { order_id: "#W1", item_ids: ["2000000001", "2000000004"], new_item_ids: ["2000000002", "2000000005"], payment_method_id: "credit_card_1" });
    expect(o.status).toBe("pending (item modified)");
    expect(o.items.map((i: any) => [i.item_id, i.price, i.options])).toEqual([
      ["2000000002", 120.25, { color: "black" }],
      ["2000000005", 120.25, { color: "black" }],
    ]);
    // (60.5 − 50) + (120.25 − 100) = 30.75, booked as a payment.
    expect(o.payment_history.at(-1)).toEqual({ transaction_type: "payment", amount: 30.75, payment_method_id: "credit_card_1" });
  });
  test("a gift card pays the difference at once", () => {
    const e = env("retail");
    const o = ok(e, "modify_pending_order_items", { order_id: "#W4", item_ids: ["2000000004"], new_item_ids: ["2000000005"], payment_method_id: "gift_card_2" });
    expect(o.payment_history.at(-1)).toEqual({ transaction_type: "payment", amount: 20.25, payment_method_id: "gift_card_2" });
    expect(rec(e, "users", "bob_ray_2").payment_methods.gift_card_2.balance).toBe(479.75);
  });
  test("errors", () => {
    const e = env("retail");
    const x = (o: object) => err(e, "modify_pending_order_items", { order_id: "#W1", item_ids: ["2000000001"], new_item_ids: ["2000000002"], payment_method_id: "credit_card_1", ...o });
    expect(x({ order_id: "#W5" })).toBe("Error: Non-pending order cannot be modified");
    expect(x({ item_ids: ["2000000002"] })).toBe("Error: 2000000002 not found");
    expect(x({ new_item_ids: ["2000000002", "2000000002"] })).toBe("Error: The number of items to be exchanged should match");
    expect(x({ new_item_ids: ["2000000001"] })).toBe("Error: The new item id should be different from the old item id");
    expect(x({ new_item_ids: ["2000000003"] })).toBe("Error: New item 2000000003 not found or available");
    expect(x({ payment_method_id: "gift_card_1" })).toBe("Error: Insufficient gift card balance to pay for the new item");
  });
});

describe("retail: modify_pending_order_address / payment, modify_user_address", () => {
  test("address: any status containing 'pending'; values validated like pydantic", () => {
    const e = env("retail");
    const addr = { address1: "5 New Rd", address2: "", city: "Austin", state: "TX", country: "USA", zip: "78701" };
    expect(ok(e, "modify_pending_order_address", { order_id: "#W5", ...addr }).address).toEqual({ address1: "5 New Rd", address2: "", city: "Austin", country: "USA", state: "TX", zip: "78701" });
    expect(err(e, "modify_pending_order_address", { order_id: "#W3", ...addr })).toBe("Error: Non-pending order cannot be modified");
    expect(err(e, "modify_pending_order_address", { order_id: "#W1", ...addr, zip: 78701 })).toBe(
      "Error: 1 validation error for UserAddress\nzip\n  Input should be a valid string [type=string_type, input_value=78701, input_type=int]\n    For further information visit https://errors.pydantic.dev/2.12/v/string_type",
    );
    expect(ok(e, "modify_user_address", { user_id: "bob_ray_2", ...addr }).address.city).toBe("Austin");
    expect(err(e, "modify_user_address", { user_id: "zed", ...addr })).toBe("Error: User not found");
  });
  test("payment: a payment and a refund entry; the checks in upstream order", () => {
    const e = env("retail");
    const o = ok(e, "modify_pending_order_payment", { order_id: "#W5", payment_method_id: "credit_card_1" });
    expect(o.payment_history.slice(1)).toEqual([
      { transaction_type: "payment", amount: 60.5, payment_method_id: "credit_card_1" },
      { transaction_type: "refund", amount: 60.5, payment_method_id: "paypal_1" },
    ]);
    expect(err(e, "modify_pending_order_payment", { order_id: "#W5", payment_method_id: "paypal_1" })).toBe("Error: There should be exactly one payment for a pending order");
    const f = env("retail");
    expect(err(f, "modify_pending_order_payment", { order_id: "#W1", payment_method_id: "credit_card_1" })).toBe("Error: The new payment method should be different from the current one");
    expect(err(f, "modify_pending_order_payment", { order_id: "#W1", payment_method_id: "gift_card_1" })).toBe("Error: Insufficient gift card balance to pay for the order");
    expect(err(f, "modify_pending_order_payment", { order_id: "#W1", payment_method_id: "paypal_9" })).toBe("Error: Payment method not found");
    expect(err(f, "modify_pending_order_payment", { order_id: "#W3", payment_method_id: "paypal_1" })).toBe("Error: Non-pending order cannot be modified");
  });
});

describe("retail: return_delivered_order_items", () => {
  test("original method or a gift card; sorted items; no refund booked", () => {
    const e = env("retail");
    const o = ok(e, "return_delivered_order_items", { order_id: "#W2", item_ids: ["2000000001"], payment_method_id: "gift_card_1" });
    expect([o.status, o.return_items, o.return_payment_method_id, o.payment_history.length]).toEqual(["return requested", ["2000000001"], "gift_card_1", 1]);
    const f = env("retail");
    expect(err(f, "return_delivered_order_items", { order_id: "#W2", item_ids: ["2000000001"], payment_method_id: "credit_card_1" })).toBe(
      "Error: Payment method should be the original payment method",
    );
    expect(err(f, "return_delivered_order_items", { order_id: "#W2", item_ids: ["2000000002"], payment_method_id: "gift_card_1" })).toBe("Error: Some item not found");
    expect(err(f, "return_delivered_order_items", { order_id: "#W3", item_ids: [], payment_method_id: "paypal_1" })).toBe("Error: Non-delivered order cannot be returned");
  });
});
