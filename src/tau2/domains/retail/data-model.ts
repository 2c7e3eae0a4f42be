/**
 * Retail records as upstream's pydantic models declare them: field order = `model_dump` order (so tool
 * results serialise like upstream), and the float fields that pydantic coerces at load.
 */
import { z } from "zod";
import { T, type ModelSpec } from "../../pydantic.ts";

export const Variant: ModelSpec = {
  name: "Variant",
  fields: [
    { name: "item_id", type: T.str },
    { name: "options", type: T.dict(T.str) },
    { name: "available", type: T.bool },
    { name: "price", type: T.float },
  ],
};
export const Product: ModelSpec = {
  name: "Product",
  fields: [
    { name: "name", type: T.str },
    { name: "product_id", type: T.str },
    { name: "variants", type: T.dict(T.model(Variant)) },
  ],
};
export const UserAddress: ModelSpec = {
  name: "UserAddress",
  fields: ["address1", "address2", "city", "country", "state", "zip"].map((name) => ({ name, type: T.str })),
};
const UserName: ModelSpec = { name: "UserName", fields: [{ name: "first_name", type: T.str }, { name: "last_name", type: T.str }] };
export const CreditCard: ModelSpec = {
  name: "CreditCard",
  fields: [
    { name: "source", type: T.lit("credit_card") },
    { name: "id", type: T.str },
    { name: "brand", type: T.str },
    { name: "last_four", type: T.str },
  ],
};
export const Paypal: ModelSpec = { name: "Paypal", fields: [{ name: "source", type: T.lit("paypal") }, { name: "id", type: T.str }] };
export const GiftCard: ModelSpec = {
  name: "GiftCard",
  fields: [
    { name: "source", type: T.lit("gift_card") },
    { name: "id", type: T.str },
    { name: "balance", type: T.float },
  ],
};
export const User: ModelSpec = {
  name: "User",
  fields: [
    { name: "user_id", type: T.str },
    { name: "name", type: T.model(UserName) },
    { name: "address", type: T.model(UserAddress) },
    { name: "email", type: T.str },
    { name: "payment_methods", type: T.dict(T.tagged("source", { credit_card: CreditCard, paypal: Paypal, gift_card: GiftCard })) },
    { name: "orders", type: T.list(T.str) },
  ],
};
const OrderItem: ModelSpec = {
  name: "OrderItem",
  fields: [
    { name: "name", type: T.str },
    { name: "product_id", type: T.str },
    { name: "item_id", type: T.str },
    { name: "price", type: T.float },
    { name: "options", type: T.dict(T.str) },
  ],
};
const Fulfillment: ModelSpec = {
  name: "OrderFullfilment",
  fields: [
    { name: "tracking_id", type: T.list(T.str) },
    { name: "item_ids", type: T.list(T.str) },
  ],
};
export const OrderPayment: ModelSpec = {
  name: "OrderPayment",
  fields: [
    { name: "transaction_type", type: T.lit("payment", "refund") },
    { name: "amount", type: T.float },
    { name: "payment_method_id", type: T.str },
  ],
};
const ORDER_STATUSES = ["processed", "pending", "pending (item modified)", "delivered", "cancelled", "exchange requested", "return requested"] as const;
export const Order: ModelSpec = {
  name: "Order",
  fields: [
    { name: "order_id", type: T.str },
    { name: "user_id", type: T.str },
    { name: "address", type: T.model(UserAddress) },
    { name: "items", type: T.list(T.model(OrderItem)) },
    { name: "status", type: T.lit(...ORDER_STATUSES) },
    { name: "fulfillments", type: T.list(T.model(Fulfillment)) },
    { name: "payment_history", type: T.list(T.model(OrderPayment)) },
    { name: "cancel_reason", type: T.optional(T.lit("no longer needed", "ordered by mistake")), default: null },
    { name: "exchange_items", type: T.optional(T.list(T.str)), default: null },
    { name: "exchange_new_items", type: T.optional(T.list(T.str)), default: null },
    { name: "exchange_payment_method_id", type: T.optional(T.str), default: null },
    { name: "exchange_price_difference", type: T.optional(T.float), default: null },
    { name: "return_items", type: T.optional(T.list(T.str)), default: null },
    { name: "return_payment_method_id", type: T.optional(T.str), default: null },
  ],
};

/** Table name → record model, in db.json key order. */
export const RETAIL_TABLES = { products: Product, users: User, orders: Order } as const;

// ---- zod: what a retail db.json must look like (checked once at load, with JSON paths in errors) ----
const address = z.object({ address1: z.string(), address2: z.string(), city: z.string(), country: z.string(), state: z.string(), zip: z.string() });
const paymentMethod = z.discriminatedUnion("source", [
  z.object({ source: z.literal("credit_card"), id: z.string(), brand: z.string(), last_four: z.string() }),
  z.object({ source: z.literal("paypal"), id: z.string() }),
  z.object({ source: z.literal("gift_card"), id: z.string(), balance: z.number() }),
]);
export const RetailDbSchema = z.object({
  products: z.record(
    z.string(),
    z.object({
      name: z.string(),
      product_id: z.string(),
      variants: z.record(z.string(), z.object({ item_id: z.string(), options: z.record(z.string(), z.string()), available: z.boolean(), price: z.number() })),
    }),
  ),
  users: z.record(
    z.string(),
    z.object({
      user_id: z.string(),
      name: z.object({ first_name: z.string(), last_name: z.string() }),
      address,
      email: z.string(),
      payment_methods: z.record(z.string(), paymentMethod),
      orders: z.array(z.string()),
    }),
  ),
  orders: z.record(
    z.string(),
    z.object({
      order_id: z.string(),
      user_id: z.string(),
      address,
      items: z.array(z.object({ name: z.string(), product_id: z.string(), item_id: z.string(), price: z.number(), options: z.record(z.string(), z.string()) })),
      status: z.enum(ORDER_STATUSES),
      fulfillments: z.array(z.object({ tracking_id: z.array(z.string()), item_ids: z.array(z.string()) })),
      payment_history: z.array(z.object({ transaction_type: z.enum(["payment", "refund"]), amount: z.number(), payment_method_id: z.string() })),
      cancel_reason: z.enum(["no longer needed", "ordered by mistake"]).nullish(),
      exchange_items: z.array(z.string()).nullish(),
      exchange_new_items: z.array(z.string()).nullish(),
      exchange_payment_method_id: z.string().nullish(),
      exchange_price_difference: z.number().nullish(),
      return_items: z.array(z.string()).nullish(),
      return_payment_method_id: z.string().nullish(),
    }),
  ),
});
