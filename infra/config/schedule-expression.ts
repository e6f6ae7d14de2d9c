/** `rate(1 day)`, `rate(6 hours)`: EventBridge wants the singular unit for 1 and the plural for more. */
const RATE = /^rate\((\d+) (minute|hour|day)(s?)\)$/;
const CRON = /^cron\(([^()]+)\)$/;
/** What one field of an EventBridge cron expression may hold: numbers, names, and `* ? , - / # L W`. */
const CRON_FIELD = /^[0-9A-Za-z*?,/#-]+$/;

/**
 * Whether a string is an EventBridge schedule expression: `rate(<n> <unit>)`, or `cron(...)` with its six
 * fields (minutes, hours, day of month, month, day of week, year), exactly one of the two day fields being `?`.
 * Checked before synth, since CloudFormation would only refuse a bad one halfway through a deploy.
 *
 * @example
 * ```ts
 * isScheduleExpression('rate(1 day)'); // true
 * isScheduleExpression('cron(0 3 * * ? *)'); // true
 * isScheduleExpression('rate(1 days)'); // false
 * ```
 */
export function isScheduleExpression(value: string): boolean {
  const rate = RATE.exec(value);
  if (rate) {
    const amount = Number(rate[1]);
    return amount >= 1 && (amount === 1) === (rate[3] === '');
  }
  const cron = CRON.exec(value);
  if (!cron) return false;
  const fields = (cron[1] ?? '').trim().split(/\s+/);
  return (
    fields.length === 6 &&
    fields.every((field) => CRON_FIELD.test(field)) &&
    (fields[2] === '?') !== (fields[4] === '?')
  );
}
