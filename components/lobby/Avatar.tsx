import { playerColor } from '../format/meshFormat';

/** A colored initial; the hue comes from the player id so it is stable for everyone. */
export function Avatar({ id, nickname }: { id: string; nickname: string }) {
  const initial = [...nickname][0]?.toUpperCase() ?? '?';
  return (
    <span
      aria-hidden
      className="grid size-10 shrink-0 place-items-center rounded-full text-base font-bold text-slate-950"
      style={{ backgroundColor: playerColor(id) }}
    >
      {initial}
    </span>
  );
}
