import { type ReactNode, useId } from 'react';

/** What a control needs to be named and to carry its messages for assistive technology. */
export interface ControlProps {
  readonly id: string;
  readonly 'aria-invalid': boolean;
  readonly 'aria-describedby': string | undefined;
}

interface FieldProps {
  readonly label: string;
  readonly hint?: string | undefined;
  readonly errors: readonly string[];
  readonly children: (control: ControlProps) => ReactNode;
  /** Live text under the control (the date in words), read out as it changes. */
  readonly live?: ReactNode;
}

/**
 * A labelled control with its hint and the API's messages for it: the control is marked invalid and described
 * by them, so a screen reader says what is wrong where it is wrong.
 */
export function Field({ label, hint, errors, children, live }: FieldProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  const liveId = `${id}-live`;
  const errorId = `${id}-error`;
  const described = [
    hint ? hintId : undefined,
    live !== undefined ? liveId : undefined,
    errors.length > 0 ? errorId : undefined,
  ].filter((part) => part !== undefined);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children({
        id,
        'aria-invalid': errors.length > 0,
        'aria-describedby': described.length > 0 ? described.join(' ') : undefined,
      })}
      {hint && <small id={hintId}>{hint}</small>}
      {live !== undefined && (
        <output id={liveId} htmlFor={id} aria-live="polite" className="record-live">
          {live}
        </output>
      )}
      {errors.length > 0 && (
        <p id={errorId} className="field-error">
          {errors.join('; ')}
        </p>
      )}
    </div>
  );
}
