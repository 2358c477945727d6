import { useId, type InputHTMLAttributes } from 'react';

export function TextField({ label, hint, className = '', ...props }: InputHTMLAttributes<HTMLInputElement> & { label: string; hint?: string }) {
  const id = useId();
  return (
    <div className={className}>
      <label htmlFor={id} className="mb-1 block text-sm font-medium text-slate-300">
        {label}
      </label>
      <input
        id={id}
        aria-describedby={hint ? `${id}-hint` : undefined}
        className="block min-h-10 w-full rounded-lg bg-slate-950 px-3 py-2 text-base text-white ring-1 ring-slate-700 placeholder:text-slate-500 focus:ring-2 focus:ring-indigo-400 focus:outline-none sm:text-sm"
        {...props}
      />
      {hint && (
        <p id={`${id}-hint`} className="mt-1 text-xs text-slate-400">
          {hint}
        </p>
      )}
    </div>
  );
}
