import type { ReactNode } from 'react';

export function Alert({
  children,
  tone = 'error',
  id,
}: {
  children: ReactNode;
  tone?: 'error' | 'info';
  id?: string;
}) {
  const styles =
    tone === 'error'
      ? 'bg-rose-950/60 text-rose-100 ring-rose-800'
      : 'bg-sky-950/60 text-sky-100 ring-sky-800';
  return (
    <p
      id={id}
      role={tone === 'error' ? 'alert' : 'status'}
      className={`rounded-lg px-3 py-2 text-sm ring-1 ${styles}`}
    >
      {children}
    </p>
  );
}
