/**
 * Whether an address may be sent as under an SES identity: the identity is that very address, or its domain.
 * Its own module, with no dependencies, so the CDK app checks the same rule at synth that the notifier checks
 * at start, without loading the notifier.
 *
 * @example
 * ```ts
 * sendsAs('ngo.example', 'ledger@ngo.example'); // true
 * sendsAs('ledger@ngo.example', 'alerts@ngo.example'); // false
 * ```
 */
export function sendsAs(identity: string, from: string): boolean {
  const id = identity.toLowerCase();
  const address = from.toLowerCase();
  return id.includes('@') ? id === address : address.split('@')[1] === id;
}

/** The identity an address is sent as when none is named: its domain. */
export function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1).toLowerCase();
}
