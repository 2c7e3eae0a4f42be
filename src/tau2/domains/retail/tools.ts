/**
 * The 16 retail tools, following upstream `RetailTools` step by step: the same checks in the same order,
 * mutations applied as they happen (a later failure leaves earlier changes, as in Python), Python
 * semantics for whatever types the LLM sends.
 */
import { calculate } from "../../calc.ts";
import type { DbState } from "../../environment.ts";
import { dget, dumps, str, valueError, type Py, type PyDict, type PyMap } from "../../py.ts";
import { abs, add, contains, count, eq, hashable, iter, len, lower, lt, round2, sorted, sub } from "../../pyops.ts";
import { construct } from "../../pydantic.ts";
import { Toolkit, type ToolDef } from "../../toolkit.ts";
import { OrderPayment, UserAddress } from "./data-model.ts";

type Args = Readonly<Record<string, Py>>;

const getOrder = (db: DbState, id: Py): PyDict => {
  if (!db.table("orders").has(id)) throw valueError("Order not found");
  return db.table("orders").get(id as string);
};
const mutOrder = (db: DbState, id: string): PyDict => db.table("orders").mut(id);
const getUser = (db: DbState, id: Py): PyDict => {
  if (!db.table("users").has(id)) throw valueError("User not found");
  return db.table("users").get(id as string);
};
const getProduct = (db: DbState, id: Py): PyDict => {
  if (!db.table("products").has(id)) throw valueError("Product not found");
  return db.table("products").get(id as string);
};
const getVariant = (db: DbState, productId: Py, variantId: Py): PyDict => {
  const product = getProduct(db, productId);
  if (!contains(product.variants!, variantId)) throw valueError("Variant not found");
  return dget(product.variants!, variantId as string) as PyDict;
};
/** The user's payment method (read-only view; balances change through `adjustBalance`). */
const getPaymentMethod = (db: DbState, userId: Py, pmId: Py): PyDict => {
  const user = getUser(db, userId);
  if (!contains(user.payment_methods!, pmId)) throw valueError("Payment method not found");
  return dget(user.payment_methods!, pmId as string) as PyDict;
};
const isGiftCard = (pm: PyDict) => pm.source === "gift_card";
/** `payment_method.balance ±= amount; balance = round(balance, 2)` on this episode's copy of the user. */
function adjustBalance(db: DbState, userId: string, pmId: string, delta: (balance: Py) => Py): void {
  const pm = dget(db.table("users").mut(userId).payment_methods!, pmId) as PyDict;
  pm.balance = round2(delta(pm.balance!));
}
const items = (order: PyDict) => order.items as PyDict[];
const payments = (order: PyDict) => order.payment_history as PyDict[];

/** The multiplicity check shared by exchange, modify and return. */
function checkCounts(order: PyDict, itemIds: Py, message: (id: Py) => string) {
  const all = items(order).map((i) => i.item_id!);
  for (const id of iter(itemIds)) if (lt(count(all, id), count(itemIds, id))) throw valueError(message(id));
}

/** Pairs (old item, new variant) with the validation upstream runs before changing anything. */
function priceDifference(db: DbState, order: PyDict, itemIds: Py, newItemIds: Py, rejectSame: boolean) {
  const olds = iter(itemIds);
  const news = iter(newItemIds);
  let diff: Py = 0;
  let variant: PyDict | undefined;
  for (let i = 0; i < Math.min(olds.length, news.length); i++) {
    const [oldId, newId] = [olds[i]!, news[i]!];
    if (rejectSame && eq(oldId, newId)) throw valueError("The new item id should be different from the old item id");
    const item = items(order).find((it) => eq(it.item_id!, oldId));
    if (!item) throw valueError(`Item ${str(oldId)} not found`);
    variant = getVariant(db, item.product_id!, newId);
    if (!variant.available) throw valueError(`New item ${str(newId)} not found or available`);
    diff = add(diff, sub(variant.price!, item.price!), "+=");
  }
  return { diff, variant };
}

const tool = (name: string, params: string[], mutates: boolean, run: (db: DbState, a: Args) => Py): ToolDef => ({ name, params, mutates, run });
const ADDRESS = ["address1", "address2", "city", "state", "country", "zip"];
const address = (a: Args) => construct(UserAddress, { address1: a.address1!, address2: a.address2!, city: a.city!, state: a.state!, country: a.country!, zip: a.zip! });

const RETAIL_TOOLS: readonly ToolDef[] = [
  tool("calculate", ["expression"], false, (_db, a) => calculate(a.expression!)),

  tool("cancel_pending_order", ["order_id", "reason"], true, (db, a) => {
    const order = getOrder(db, a.order_id!);
    if (order.status !== "pending") throw valueError("Non-pending order cannot be cancelled");
    hashable(a.reason!); // `reason not in {...}` hashes first
    if (a.reason !== "no longer needed" && a.reason !== "ordered by mistake") throw valueError("Invalid reason");
    const refunds: PyDict[] = [];
    for (const p of payments(order)) {
      refunds.push({ transaction_type: "refund", amount: p.amount!, payment_method_id: p.payment_method_id! });
      const user = getUser(db, order.user_id!);
      const pm = getPaymentMethod(db, user.user_id!, p.payment_method_id!);
      // Gift cards are refunded at once (rounded), other methods "in 5-7 days" (nothing to book).
      if (isGiftCard(pm)) adjustBalance(db, user.user_id as string, p.payment_method_id as string, (b) => add(b, p.amount!, "+="));
    }
    const o = mutOrder(db, order.order_id as string);
    o.status = "cancelled";
    o.cancel_reason = a.reason!;
    payments(o).push(...refunds);
    return o;
  }),

  tool("exchange_delivered_order_items", ["order_id", "item_ids", "new_item_ids", "payment_method_id"], true, (db, a) => {
    const order = getOrder(db, a.order_id!);
    if (order.status !== "delivered") throw valueError("Non-delivered order cannot be exchanged");
    checkCounts(order, a.item_ids!, (id) => `Number of ${str(id)} not found.`);
    if (len(a.item_ids!) !== len(a.new_item_ids!)) throw valueError("The number of items to be exchanged should match.");
    const diff = round2(priceDifference(db, order, a.item_ids!, a.new_item_ids!, false).diff);
    const pm = getPaymentMethod(db, order.user_id!, a.payment_method_id!);
    if (isGiftCard(pm) && lt(pm.balance!, diff)) throw valueError("Insufficient gift card balance to pay for the price difference");
    // Only a request is recorded: no balance or payment change until the items come back.
    const o = mutOrder(db, order.order_id as string);
    o.status = "exchange requested";
    o.exchange_items = sorted(a.item_ids!);
    o.exchange_new_items = sorted(a.new_item_ids!);
    o.exchange_payment_method_id = a.payment_method_id!;
    o.exchange_price_difference = diff;
    return o;
  }),

  tool("find_user_id_by_name_zip", ["first_name", "last_name", "zip"], false, (db, a) => {
    for (const user of db.table("users").values()) {
      const name = user.name as PyDict;
      if (lower(name.first_name!) === lower(a.first_name!) && lower(name.last_name!) === lower(a.last_name!) && eq((user.address as PyDict).zip!, a.zip!))
        return user.user_id!;
    }
    throw valueError("User not found");
  }),

  tool("find_user_id_by_email", ["email"], false, (db, a) => {
    for (const user of db.table("users").values()) if (lower(user.email!) === lower(a.email!)) return user.user_id!;
    throw valueError("User not found");
  }),

  tool("get_order_details", ["order_id"], false, (db, a) => getOrder(db, a.order_id!)),
  tool("get_product_details", ["product_id"], false, (db, a) => getProduct(db, a.product_id!)),
  tool("get_item_details", ["item_id"], false, (db, a) => {
    for (const product of db.table("products").values()) {
      if (contains(product.variants!, a.item_id!)) return dget(product.variants!, a.item_id as string);
    }
    throw valueError("Item not found");
  }),
  tool("get_user_details", ["user_id"], false, (db, a) => getUser(db, a.user_id!)),

  tool("list_all_product_types", [], false, (db) => {
    const byName: PyMap = new Map();
    for (const p of db.table("products").values()) byName.set(p.name as string, p.product_id!);
    return dumps(byName, true);
  }),

  tool("modify_pending_order_address", ["order_id", ...ADDRESS], true, (db, a) => {
    const order = getOrder(db, a.order_id!);
    if (!(order.status as string).includes("pending")) throw valueError("Non-pending order cannot be modified");
    const addr = address(a);
    const o = mutOrder(db, order.order_id as string);
    o.address = addr;
    return o;
  }),

  tool("modify_pending_order_items", ["order_id", "item_ids", "new_item_ids", "payment_method_id"], true, (db, a) => {
    const order = getOrder(db, a.order_id!);
    if (order.status !== "pending") throw valueError("Non-pending order cannot be modified");
    checkCounts(order, a.item_ids!, (id) => `${str(id)} not found`);
    if (len(a.item_ids!) !== len(a.new_item_ids!)) throw valueError("The number of items to be exchanged should match");
    const { diff, variant } = priceDifference(db, order, a.item_ids!, a.new_item_ids!, true);
    const pm = getPaymentMethod(db, order.user_id!, a.payment_method_id!);
    if (isGiftCard(pm) && lt(pm.balance!, diff)) throw valueError("Insufficient gift card balance to pay for the new item");
    const o = mutOrder(db, order.order_id as string);
    payments(o).push(
      construct(OrderPayment, { transaction_type: lt(diff, 0, ">") ? "payment" : "refund", amount: abs(diff), payment_method_id: a.payment_method_id! }),
    );
    if (isGiftCard(pm)) adjustBalance(db, order.user_id as string, a.payment_method_id as string, (b) => sub(b, diff, "-="));
    const olds = iter(a.item_ids!);
    const news = iter(a.new_item_ids!);
    for (let i = 0; i < Math.min(olds.length, news.length); i++) {
      const item = items(o).find((it) => eq(it.item_id!, olds[i]!));
      if (!item) throw valueError(`Item ${str(olds[i]!)} not found`);
      // Upstream quirk: price and options come from the last variant validated, for every item.
      item.item_id = news[i]!;
      item.price = variant!.price!;
      item.options = variant!.options!;
    }
    o.status = "pending (item modified)";
    return o;
  }),

  tool("modify_pending_order_payment", ["order_id", "payment_method_id"], true, (db, a) => {
    const order = getOrder(db, a.order_id!);
    if (!(order.status as string).includes("pending")) throw valueError("Non-pending order cannot be modified");
    const pm = getPaymentMethod(db, order.user_id!, a.payment_method_id!);
    const history = payments(order);
    if (history.length !== 1 || history[0]!.transaction_type !== "payment") throw valueError("There should be exactly one payment for a pending order");
    if (eq(history[0]!.payment_method_id!, a.payment_method_id!)) throw valueError("The new payment method should be different from the current one");
    const amount = history[0]!.amount!;
    if (isGiftCard(pm) && lt(pm.balance!, amount)) throw valueError("Insufficient gift card balance to pay for the order");
    const o = mutOrder(db, order.order_id as string);
    const oldId = history[0]!.payment_method_id!;
    payments(o).push(
      { transaction_type: "payment", amount, payment_method_id: a.payment_method_id! },
      { transaction_type: "refund", amount, payment_method_id: oldId },
    );
    if (isGiftCard(pm)) adjustBalance(db, order.user_id as string, a.payment_method_id as string, (b) => sub(b, amount, "-="));
    const old = getPaymentMethod(db, order.user_id!, oldId);
    if (isGiftCard(old)) adjustBalance(db, order.user_id as string, oldId as string, (b) => add(b, amount, "+="));
    return o;
  }),

  tool("modify_user_address", ["user_id", ...ADDRESS], true, (db, a) => {
    const user = getUser(db, a.user_id!);
    const addr = address(a);
    const u = db.table("users").mut(user.user_id as string);
    u.address = addr;
    return u;
  }),

  tool("return_delivered_order_items", ["order_id", "item_ids", "payment_method_id"], true, (db, a) => {
    const order = getOrder(db, a.order_id!);
    if (order.status !== "delivered") throw valueError("Non-delivered order cannot be returned");
    const user = getUser(db, order.user_id!);
    const pm = getPaymentMethod(db, user.user_id!, a.payment_method_id!);
    if (!isGiftCard(pm) && !eq(a.payment_method_id!, payments(order)[0]!.payment_method_id!))
      throw valueError("Payment method should be the original payment method");
    checkCounts(order, a.item_ids!, () => "Some item not found");
    const o = mutOrder(db, order.order_id as string);
    o.status = "return requested";
    o.return_items = sorted(a.item_ids!);
    o.return_payment_method_id = a.payment_method_id!;
    return o;
  }),

  tool("transfer_to_human_agents", ["summary"], false, () => "Transfer successful"),
];

export const retailToolkit = new Toolkit("RetailTools", RETAIL_TOOLS);
