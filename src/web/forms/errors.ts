/**
 * A refusal as the errors of a form's fields: which field it belongs to and what to tell
 * the person, in their language. The page shows them in the summary at the top (each a
 * link to its field) and beside the field (GOV.UK error pattern).
 *
 * Rules:
 * - Every refusal lands on a field: the code's field in the table below, else the form's
 *   `fallback` (the field to act on, e.g. the phone when a code cannot be sent), so the
 *   summary always links somewhere.
 * - A refusal with a reason (an ID number's wrong part, a name's characters, the guesses
 *   left with a code) says the reason, not only the code's title.
 * - Only refusals are shown; a server failure is not a form error (the caller rethrows).
 */
import { AppError, errorSpec } from '../../kernel/errors.ts';
import type { PageContext } from '../layout.tsx';
import type { MessageKey } from '../i18n/index.ts';

export interface FieldError {
  /** The id of the field's input (the summary links to `#<field>`). */
  field: string;
  message: string;
}

/** Which field a refusal is about, when the form does not say otherwise. */
const FIELD_OF: Record<string, string> = {
  'identity.invalid_phone': 'phone',
  'identity.code_invalid': 'code',
  'identity.code_used_up': 'code',
  'identity.weak_password': 'password',
  'identity.common_password': 'password',
  'identity.invalid_id_number': 'idNumber',
  'identity.id_number_registered': 'idNumber',
  'identity.invalid_name': 'name',
  'identity.reauth_failed': 'password',
  'identity.second_step_slowed': 'code',
  'verification.invalid_card': 'cardNumber',
  'verification.invalid_phone': 'bankPhone',
  'company.invalid_credit_code': 'creditCode',
  'company.agent_not_registered': 'phone',
};

const idReasons = new Set(['length', 'characters', 'region', 'birth-date', 'checksum']);
const nameReasons = new Set(['empty', 'length', 'characters']);

function messageOf(err: AppError, ctx: PageContext): string {
  const { t } = ctx;
  if (err.code === 'identity.invalid_id_number' && err.detail && idReasons.has(err.detail))
    return t(`forms.idNumber.${err.detail}` as MessageKey);
  if (err.code === 'identity.invalid_name' && err.detail && nameReasons.has(err.detail))
    return t(`forms.name.${err.detail}` as MessageKey);
  const title = errorSpec(err.code).title[ctx.locale];
  const left = err.code === 'identity.code_invalid' ? /^(\d+) left$/.exec(err.detail ?? '') : null;
  return left ? `${t('forms.code.left')} ${left[1]}` : title;
}

/** Whether a failure is a refusal the person can act on (else the caller rethrows it). */
export const isRefusal = (err: unknown, shown: readonly string[] = []): err is AppError =>
  err instanceof AppError && (err.status < 500 || shown.includes(err.code));

/**
 * The refusal as field errors. `fields` renames fields for this form (code → input id);
 * `fallback` is the field of refusals no table names.
 */
export function fieldErrors(
  err: AppError,
  ctx: PageContext,
  form: { fallback: string; fields?: Record<string, string>; present?: readonly string[] },
): FieldError[] {
  const named = form.fields?.[err.code] ?? FIELD_OF[err.code];
  // A field the form does not show (e.g. the code once it is spent) falls back too.
  const field = named && (!form.present || form.present.includes(named)) ? named : form.fallback;
  return [{ field, message: messageOf(err, ctx) }];
}

export const errorFor = (errors: readonly FieldError[] | undefined, field: string) =>
  errors?.find((e) => e.field === field)?.message;
