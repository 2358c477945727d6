import { useId, type SelectHTMLAttributes } from 'react';

/** A labelled native select (native: the best picker on phones, accessible for free). */
export function SelectField<T extends string | number>({
  label,
  options,
  value,
  onValue,
  className = '',
  ...props
}: Omit<SelectHTMLAttributes<HTMLSelectElement>, 'value' | 'onChange'> & {
  label: string;
  options: readonly { value: T; label: string }[];
  value: T;
  onValue: (value: T) => void;
}) {
  const id = useId();
  return (
    <div className={className}>
      <label htmlFor={id} className="mb-1 block text-sm font-medium text-slate-300">
        {label}
      </label>
      <select
        id={id}
        value={value}
        onChange={(e) => onValue(options[e.target.selectedIndex]!.value)}
        className="block min-h-10 w-full rounded-lg bg-slate-950 px-3 py-2 text-base text-white ring-1 ring-slate-700 focus:ring-2 focus:ring-indigo-400 focus:outline-none sm:text-sm"
        {...props}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}
