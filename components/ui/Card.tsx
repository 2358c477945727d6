import type { ReactNode } from 'react';

/** A titled section. `heading` is h2 inside a page; a card that is the whole page (a notice) passes h1. */
export function Card({
  title,
  children,
  className = '',
  actions,
  heading: Heading = 'h2',
}: {
  title?: string;
  children: ReactNode;
  className?: string;
  actions?: ReactNode;
  heading?: 'h1' | 'h2';
}) {
  return (
    <section
      className={`rounded-2xl bg-slate-900/80 p-4 ring-1 ring-slate-800 sm:p-5 ${className}`}
      aria-label={title}
    >
      {title && (
        <div className="mb-3 flex items-center justify-between gap-2">
          <Heading
            tabIndex={Heading === 'h1' ? -1 : undefined}
            className="text-base font-semibold text-white focus:outline-none"
          >
            {title}
          </Heading>
          {actions}
        </div>
      )}
      {children}
    </section>
  );
}
