/**
 * The form error pattern (GOV.UK design system): a summary at the top, focused when the
 * page loads (the `autofocus` attribute, no script), listing each error as a link to its
 * field; each field with its message beside it, `aria-invalid` and `aria-describedby`.
 */
import type { Child } from 'hono/jsx';
import type { PageContext } from '../layout.tsx';
import { errorFor, type FieldError } from './errors.ts';

/** `children`: what the summary adds under the list (the policy section a refusal comes from). */
export function ErrorSummary(props: {
  ctx: PageContext;
  errors?: readonly FieldError[] | undefined;
  children?: Child;
}) {
  const errors = props.errors ?? [];
  if (errors.length === 0) return null;
  return (
    <div
      class="error-summary"
      role="alert"
      aria-labelledby="error-summary-title"
      tabindex={-1}
      autofocus
      id="error-summary"
    >
      <h2 id="error-summary-title">{props.ctx.t('forms.summary.title')}</h2>
      <ul>
        {errors.map((e) => (
          <li>
            <a href={`#${e.field}`}>{e.message}</a>
          </li>
        ))}
      </ul>
      {props.children}
    </div>
  );
}

const describedBy = (...ids: (string | undefined)[]) => ids.filter(Boolean).join(' ') || undefined;

/** The attributes that tie an input to its hint and error message. */
export function fieldAria(id: string, errors: readonly FieldError[] | undefined, hintId?: string) {
  const error = errorFor(errors, id);
  return {
    'aria-invalid': error ? ('true' as const) : undefined,
    'aria-describedby': describedBy(hintId, error ? `${id}-error` : undefined),
  };
}

/** A field's error message, placed between its label and input. */
export function FieldMessage(props: { id: string; errors?: readonly FieldError[] | undefined }) {
  const error = errorFor(props.errors, props.id);
  return error ? (
    <p class="field-error" id={`${props.id}-error`}>
      {error}
    </p>
  ) : null;
}

export interface FieldProps {
  id: string;
  name?: string;
  label: string;
  errors?: readonly FieldError[] | undefined;
  hint?: string | undefined;
  value?: string | undefined;
  type?: string;
  inputmode?: 'numeric' | 'tel' | 'text' | 'email';
  autocomplete?: string;
  required?: boolean;
  /** Anything else for the input (accept, capture, spellcheck …). */
  attrs?: Record<string, string | boolean | undefined>;
  children?: Child;
}

/** A labelled input with its hint and error message. */
export function Field(p: FieldProps) {
  const hintId = p.hint ? `${p.id}-hint` : undefined;
  const error = errorFor(p.errors, p.id);
  return (
    <div class={error ? 'field field-invalid' : 'field'}>
      <label for={p.id}>{p.label}</label>
      {p.hint ? (
        <small id={hintId} class="muted">
          {p.hint}
        </small>
      ) : null}
      <FieldMessage id={p.id} errors={p.errors} />
      <input
        id={p.id}
        name={p.name ?? p.id}
        type={p.type}
        inputmode={p.inputmode}
        autocomplete={p.autocomplete}
        required={p.required}
        value={p.value}
        {...fieldAria(p.id, p.errors, hintId)}
        {...(p.attrs ?? {})}
      />
      {p.children}
    </div>
  );
}
