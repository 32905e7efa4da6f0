/**
 * Whether the mouse may move the highlight now. Browsers send mouseenter and mouseleave when the
 * page moves under a resting pointer (a scroll, a layout change), so after the keyboard had moved
 * the highlight, the line under a pointer nobody touched took it back. Once the keyboard has moved
 * it, only a pointer that really moves (its position changes) gets it back.
 */
interface Point {
  x: number;
  y: number;
}

/** The pointer's position after its last real move; null before any. */
let pointer: Point | null = null;
/** Where the pointer was when the keyboard took the highlight; undefined while the mouse has it. */
let heldAt: Point | null | undefined;

/** Farther than this (CSS pixels) is a move: the events a moving page causes report the pointer's position rounded. */
const STILL = 2;

const moved = (from: Point | null, e: MouseEvent) => from === null || Math.abs(from.x - e.clientX) > STILL || Math.abs(from.y - e.clientY) > STILL;

addEventListener(
  'pointermove',
  (e) => {
    if (!moved(pointer, e)) return;
    pointer = { x: e.clientX, y: e.clientY };
    heldAt = undefined;
  },
  { capture: true, passive: true },
);

/** The keyboard (focus) moved the highlight. */
export function keyboardHighlighted(): void {
  heldAt = pointer;
}

/**
 * Whether this mouseenter or mouseleave may move the highlight. A move into another box arrives
 * before its pointermove, so the event's own position tells a real move from a page moving.
 */
export function mayFollowPointer(e: MouseEvent): boolean {
  // A null position (the keyboard took the highlight before any pointer move) holds until a pointermove.
  if (heldAt && moved(heldAt, e)) heldAt = undefined;
  return heldAt === undefined;
}
