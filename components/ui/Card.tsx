import type { ReactNode } from 'react';

export function Card({ title, children, className = '', actions }: { title?: string; children: ReactNode; className?: string; actions?: ReactNode }) {
  return (
    <section className={`rounded-2xl bg-slate-900/80 p-4 ring-1 ring-slate-800 sm:p-5 ${className}`} aria-label={title}>
      {title && (
        <div className="mb-3 flex items-center justify-between gap-2">
          <h2 className="text-base font-semibold text-white">{title}</h2>
          {actions}
        </div>
      )}
      {children}
    </section>
  );
}
