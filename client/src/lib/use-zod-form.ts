import { useRef, useState, type FormEvent } from 'react';
import type { z } from 'zod/mini';

type FieldErrors<Fields> = Partial<Record<keyof Fields, string>>;

/**
 * A form checked against a schema, with the browser's own form controls holding the values: on submit
 * the fields are read, checked, and either handed to `onValid` or marked with their first problem (the
 * first invalid field takes the focus). After a refused submit, every edit checks again, so that a
 * message goes away as soon as its field is right.
 */
export function useZodForm<Schema extends z.ZodMiniObject>(schema: Schema, onValid: (values: z.output<Schema>) => void) {
  const [errors, setErrors] = useState<FieldErrors<z.input<Schema>>>({});
  const refused = useRef(false);

  const check = (form: HTMLFormElement) => {
    const data = new FormData(form);
    // A disabled control is missing from FormData: read it as empty, as the user sees it.
    const values = Object.fromEntries(Object.keys(schema.shape).map((name) => [name, String(data.get(name) ?? '')]));
    const result = schema.safeParse(values);
    const found: Record<string, string> = {};
    for (const issue of result.error?.issues ?? []) found[String(issue.path[0])] ??= issue.message;
    setErrors(found as FieldErrors<z.input<Schema>>);
    return { result, found };
  };

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const { result, found } = check(form);
    refused.current = !result.success;
    if (result.success) onValid(result.data);
    else [...form.elements].find((element): element is HTMLElement => (element.getAttribute('name') ?? '') in found)?.focus();
  };
  const onInput = (event: FormEvent<HTMLFormElement>) => {
    if (refused.current) check(event.currentTarget);
  };

  return { errors, formProps: { onSubmit, onInput, noValidate: true } };
}
