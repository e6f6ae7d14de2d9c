/** Why a sign-in at the provider did not end with tokens, as the callback page says it in words. */
export type SignInFailure = 'denied' | 'refused' | 'state' | 'unreachable' | 'unreadable';

export class OidcSignInError extends Error {
  readonly code = 'oidc_sign_in_failed';
  constructor(
    readonly failure: SignInFailure,
    /** The provider's own words, when it gave some. */
    readonly detail?: string,
    options?: ErrorOptions,
  ) {
    super(`sign-in at the provider failed: ${failure}${detail ? ` (${detail})` : ''}`, options);
    this.name = 'OidcSignInError';
  }
}
