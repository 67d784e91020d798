import { useId, type ComponentProps, type ReactNode } from 'react';

interface FieldProps {
  label: string;
  /** Shown under the field and announced with it; replaces the hint while present. */
  error?: string | undefined;
  hint?: ReactNode;
}

/** Ids that tie a label and its message to the control, for screen readers and for tests. */
function useFieldIds(error: string | undefined, hint: ReactNode) {
  const id = useId();
  const messageId = `${id}-message`;
  const hasMessage = error !== undefined || hint !== undefined;
  return {
    id,
    messageId,
    hasMessage,
    controlProps: {
      id,
      'aria-invalid': error === undefined ? undefined : true,
      'aria-describedby': hasMessage ? messageId : undefined,
    },
  };
}

function FieldMessage({ id, error, hint }: { id: string; error: string | undefined; hint: ReactNode }) {
  return <small id={id}>{error ?? hint}</small>;
}

export function TextField({ label, error, hint, ...input }: FieldProps & ComponentProps<'input'>) {
  const { messageId, hasMessage, controlProps } = useFieldIds(error, hint);
  return (
    <div>
      <label htmlFor={controlProps.id}>{label}</label>
      <input {...input} {...controlProps} />
      {hasMessage && <FieldMessage id={messageId} error={error} hint={hint} />}
    </div>
  );
}

export function SelectField({ label, error, hint, children, ...select }: FieldProps & ComponentProps<'select'>) {
  const { messageId, hasMessage, controlProps } = useFieldIds(error, hint);
  return (
    <div>
      <label htmlFor={controlProps.id}>{label}</label>
      <select {...select} {...controlProps}>
        {children}
      </select>
      {hasMessage && <FieldMessage id={messageId} error={error} hint={hint} />}
    </div>
  );
}
