import { useId, type InputHTMLAttributes } from 'react';

/** A labelled input; `hint` and `error` are tied to it (aria-describedby), and an error marks it invalid. */
export function TextField({
  label,
  hint,
  error,
  className = '',
  id: givenId,
  ...props
}: InputHTMLAttributes<HTMLInputElement> & { label: string; hint?: string; error?: string | null }) {
  const autoId = useId();
  const id = givenId ?? autoId;
  const described = [error ? `${id}-error` : null, hint ? `${id}-hint` : null].filter(Boolean).join(' ');
  return (
    <div className={className}>
      <label htmlFor={id} className="mb-1 block text-sm font-medium text-slate-300">
        {label}
      </label>
      <input
        id={id}
        aria-describedby={described || undefined}
        aria-invalid={error ? true : undefined}
        className="block min-h-10 w-full rounded-lg bg-slate-950 px-3 py-2 text-base text-white ring-1 ring-slate-700 placeholder:text-slate-400 focus:ring-2 focus:ring-indigo-400 focus:outline-none aria-invalid:ring-rose-400 sm:text-sm"
        {...props}
      />
      {error && (
        <p id={`${id}-error`} className="mt-1 text-xs text-rose-300">
          {error}
        </p>
      )}
      {hint && (
        <p id={`${id}-hint`} className="mt-1 text-xs text-slate-400">
          {hint}
        </p>
      )}
    </div>
  );
}
