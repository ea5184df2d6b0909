// Exactly one execution per delivery: the execution name is derived from X-GitHub-Delivery, and
// Step Functions refuses a second execution with the same name (for 90 days on Standard workflows),
// so a redelivery or an EventBridge retry cannot start the workflow twice.

import { createHash } from 'node:crypto';

/** Execution names: at most 80 characters; these characters are always safe. */
const safeName = /^[A-Za-z0-9_-]{1,75}$/;

/** `prefix` says which trigger started the run (`push-`, `pr-`, `release-`, …; at most 9 characters). */
export function executionNameForDelivery(delivery: string, prefix = 'push-'): string {
  // GitHub's delivery ids are GUIDs; anything else is hashed so the name stays valid and unique.
  if (safeName.test(delivery) && prefix.length + delivery.length <= 80) return `${prefix}${delivery}`;
  return `${prefix}${createHash('sha256').update(delivery).digest('hex').slice(0, 40)}`;
}
