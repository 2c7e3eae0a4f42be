/**
 * The server's credentials: one admin token (from --token, else generated), a CSRF token derived from
 * each credential with a secret kept in the archive (stable across restarts, so an annotator's open form
 * still submits), and the host names a loopback bind answers to (DNS-rebinding guard).
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export interface Security {
  adminToken: string;
  /** HMAC key for CSRF tokens. */
  secret: string;
  /** Bound to a loopback address: reads need no token, and the Host header must name loopback. */
  loopback: boolean;
}

export const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "::1", "[::1]"]);

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_HOSTS.has(host) || /^127(?:\.\d{1,3}){3}$/.test(host);
}

/** Constant-time equality for secrets of any length. */
export function sameSecret(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The CSRF token for a credential (admin token or annotator link token): 64 hex characters. */
export function csrfToken(secret: string, credential: string): string {
  return createHmac("sha256", secret).update(credential).digest("hex");
}

/** Hostname of a Host header value ("[::1]:7777" → "[::1]", "a.b:80" → "a.b"). */
export function hostnameOf(hostHeader: string | undefined): string {
  if (!hostHeader) return "";
  if (hostHeader.startsWith("[")) return hostHeader.slice(0, hostHeader.indexOf("]") + 1);
  return hostHeader.split(":")[0]!.toLowerCase();
}
