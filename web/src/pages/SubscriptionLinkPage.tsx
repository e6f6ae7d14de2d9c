import { LinkAction } from '../notifications/LinkAction.tsx';

/** `/app/confirm?token=`: the link of a confirmation email. Needs no sign-in: the token is the authority. */
export function ConfirmPage() {
  return <LinkAction action="confirm" />;
}

/** `/app/unsubscribe?token=`: the unsubscribe link of every notice email. */
export function UnsubscribePage() {
  return <LinkAction action="unsubscribe" />;
}
