import type { Page } from 'playwright-core';

interface Probe {
  selector: string;
  color: string;
  opacity: number;
  large: boolean;
}
type Box = { x: number; y: number; width: number; height: number };

/**
 * WCAG AA contrast for text axe-core could not judge from styles alone (a gradient page background, a
 * canvas behind the game's text, a fade over the chat log): measured on the rendered pixels. The page is
 * captured half a screen at a time (scrolling, never resizing, so the layout stays the player's), once as
 * it is and once with those texts made transparent: the pixels that differ are the glyphs, and the second
 * capture holds what is behind each of them. Each text colour (with its alpha and its ancestors' opacity)
 * is set against the background under its glyphs; the 10th percentile of those ratios must reach 4.5:1
 * (3:1 for large text: 24 px, or 18.66 px bold). Returns one line per text that fails.
 */
export async function renderedContrastFailures(page: Page, selectors: string[]): Promise<string[]> {
  if (selectors.length === 0) return [];
  const probes: Probe[] = await page.evaluate((sels) => {
    return sels.flatMap((selector) => {
      const el = document.querySelector<HTMLElement>(selector);
      if (!el) return [];
      const style = getComputedStyle(el);
      let opacity = 1;
      for (let e: Element | null = el; e; e = e.parentElement) opacity *= Number(getComputedStyle(e).opacity);
      el.setAttribute('data-contrast-probe', selector);
      const size = parseFloat(style.fontSize);
      return [
        {
          selector,
          color: style.color,
          opacity,
          large: size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700),
        },
      ];
    });
  }, selectors);
  const hide =
    '[data-contrast-probe], [data-contrast-probe] * { color: transparent !important; text-shadow: none !important; caret-color: transparent !important; }';
  const startY = await page.evaluate(() => window.scrollY);
  const failures: string[] = [];
  const pending = new Map(probes.map((p) => [p.selector, p]));
  const seen = new Set<string>();
  const capture = async (here: [string, Box][]) => {
    const shown = await page.screenshot({ animations: 'disabled', caret: 'hide' });
    const style = await page.addStyleTag({ content: hide });
    const hidden = await page.screenshot({ animations: 'disabled', caret: 'hide' });
    await style.evaluate((el) => (el as HTMLStyleElement).remove());
    failures.push(
      ...(await measure(
        page,
        shown,
        hidden,
        here.map(([selector, box]) => ({ ...pending.get(selector)!, box })),
      )),
    );
    for (const [selector] of here) pending.delete(selector);
  };
  try {
    // Half a screen at a time, then one at a time for texts no screen showed whole (scrolled inside a
    // list, cut by an ellipsis): each brought to the middle of its list and of the screen.
    for (let screen = 0, atEnd = false; pending.size > 0 && !atEnd; screen++) {
      const view = await page.evaluate(wholeBoxes, { screen, wanted: [...pending.keys()] });
      view.shown.forEach((selector) => seen.add(selector));
      atEnd = view.atEnd;
      if (Object.keys(view.boxes).length > 0) await capture(Object.entries(view.boxes));
    }
    for (const selector of [...pending.keys()].filter((s) => seen.has(s))) {
      const view = await page.evaluate(wholeBoxes, { screen: null, wanted: [selector] });
      if (view.boxes[selector]) await capture([[selector, view.boxes[selector]]]);
      else failures.push(`${selector}: never on screen`);
    }
  } finally {
    await page.evaluate((y) => {
      for (const el of document.querySelectorAll('[data-contrast-probe]'))
        el.removeAttribute('data-contrast-probe');
      window.scrollTo(0, y);
    }, startY);
  }
  return failures;
}

async function measure(
  page: Page,
  shown: Buffer,
  hidden: Buffer,
  probes: (Probe & { box: Box })[],
): Promise<string[]> {
  return page.evaluate(
    async ({ shownB64, hiddenB64, probes }) => {
      const load = async (b64: string) => {
        const img = new Image();
        img.src = `data:image/png;base64,${b64}`;
        await img.decode();
        const ctx = new OffscreenCanvas(img.width, img.height).getContext('2d', {
          willReadFrequently: true,
        })!;
        ctx.drawImage(img, 0, 0);
        return { ctx, width: img.width, height: img.height };
      };
      const withText = await load(shownB64);
      const { ctx, width, height } = await load(hiddenB64);
      const img = { width, height };
      // The capture is in device pixels; boxes are in CSS pixels.
      const scale = img.width / window.innerWidth;
      // Computed colours come as lab()/oklch() (Tailwind 4): a 1-pixel canvas turns them into sRGB.
      const swatch = new OffscreenCanvas(1, 1).getContext('2d', { willReadFrequently: true })!;
      const srgb = (color: string) => {
        swatch.clearRect(0, 0, 1, 1);
        swatch.fillStyle = color;
        swatch.fillRect(0, 0, 1, 1);
        const [r, g, b, a] = swatch.getImageData(0, 0, 1, 1).data;
        return [r!, g!, b!, a! / 255] as const;
      };
      const lin = (c: number) => {
        const s = c / 255;
        return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      };
      const lum = (r: number, g: number, b: number) => 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
      const failures: string[] = [];
      for (const p of probes) {
        const x = Math.max(0, Math.floor(p.box.x * scale));
        const y = Math.max(0, Math.floor(p.box.y * scale));
        const w = Math.min(img.width - x, Math.floor(p.box.width * scale));
        const h = Math.min(img.height - y, Math.floor(p.box.height * scale));
        if (w < 1 || h < 1) continue;
        const { data } = ctx.getImageData(x, y, w, h);
        const glyphs = withText.ctx.getImageData(x, y, w, h).data;
        const [fr, fg, fb, fa] = srgb(p.color);
        const alpha = fa * p.opacity;
        const ratios: number[] = [];
        for (let i = 0; i < data.length; i += 4) {
          // A glyph pixel: the text changes it (no glyph pixel at all is text the same colour as its background).
          if (
            Math.abs(glyphs[i]! - data[i]!) +
              Math.abs(glyphs[i + 1]! - data[i + 1]!) +
              Math.abs(glyphs[i + 2]! - data[i + 2]!) <
            24
          )
            continue;
          const [br, bg, bb] = [data[i]!, data[i + 1]!, data[i + 2]!];
          const text = lum(
            fr * alpha + br * (1 - alpha),
            fg * alpha + bg * (1 - alpha),
            fb * alpha + bb * (1 - alpha),
          );
          const back = lum(br, bg, bb);
          ratios.push((Math.max(text, back) + 0.05) / (Math.min(text, back) + 0.05));
        }
        ratios.sort((a, b) => a - b);
        const ratio = ratios[Math.floor(ratios.length * 0.1)] ?? 1;
        const needed = p.large ? 3 : 4.5;
        if (ratio < needed) failures.push(`${p.selector}: ${ratio.toFixed(2)} < ${needed}`);
      }
      return failures;
    },
    { shownB64: shown.toString('base64'), hiddenB64: hidden.toString('base64'), probes },
  );
}

/**
 * In the page: scrolls to half-screen number `screen` (or, when null, brings the one wanted text to the
 * middle of its list and of the screen) and returns the boxes of the wanted texts to measure there.
 * `shown`: the wanted texts with any visible part.
 */
function wholeBoxes({ screen, wanted }: { screen: number | null; wanted: string[] }) {
  const find = (selector: string) =>
    document.querySelector(`[data-contrast-probe="${CSS.escape(selector)}"]`);
  if (screen === null) find(wanted[0]!)?.scrollIntoView({ block: 'center', inline: 'nearest' });
  else window.scrollTo(0, (screen * window.innerHeight) / 2);
  const boxes: Record<string, { x: number; y: number; width: number; height: number }> = {};
  const shown: string[] = [];
  for (const selector of wanted) {
    const el = find(selector);
    if (!el) continue;
    const r = el.getBoundingClientRect();
    const box = { left: r.left, top: r.top, right: r.right, bottom: r.bottom };
    for (let a = el.parentElement; a; a = a.parentElement) {
      if (getComputedStyle(a).overflow === 'visible') continue;
      const c = a.getBoundingClientRect();
      Object.assign(box, {
        left: Math.max(box.left, c.left),
        top: Math.max(box.top, c.top),
        right: Math.min(box.right, c.right),
        bottom: Math.min(box.bottom, c.bottom),
      });
    }
    if (box.right <= box.left || box.bottom <= box.top) continue;
    shown.push(selector);
    // Half screens: only texts seen whole. One text brought to the middle: the part of it that shows (a
    // message taller than the chat log, a name cut by its ellipsis), as long as that part is on screen.
    const cut = screen === null ? box : { left: r.left, top: r.top, right: r.right, bottom: r.bottom };
    const uncut =
      box.left === cut.left && box.top === cut.top && box.right === cut.right && box.bottom === cut.bottom;
    const onScreen =
      cut.top >= 0 && cut.bottom <= window.innerHeight && cut.left >= 0 && cut.right <= window.innerWidth;
    if (uncut && onScreen)
      boxes[selector] = {
        x: cut.left,
        y: cut.top,
        width: cut.right - cut.left,
        height: cut.bottom - cut.top,
      };
  }
  return {
    boxes,
    shown,
    atEnd: window.scrollY + window.innerHeight >= document.documentElement.scrollHeight - 1,
  };
}
