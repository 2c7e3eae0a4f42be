/** MAP-Elites grid of one island: bins × bins cells over two descriptors in [0, 1], one owner per cell. */
import type { Scored } from "./types.ts";

/** The cell of a descriptor pair (values clamped into [0, 1]; 1.0 falls in the last bin). */
export function cellOf(descriptors: readonly [number, number], bins: number): number {
  const bin = (v: number) => Math.min(bins - 1, Math.max(0, Math.floor(Math.min(1, Math.max(0, v)) * bins)));
  return bin(descriptors[0]) * bins + bin(descriptors[1]);
}

export class Grid<T extends Scored = Scored> {
  private readonly owners = new Map<number, T>();

  constructor(readonly bins: number) {}

  /** Offer a program to its cell: it takes the cell if empty or if it scores strictly higher (ties keep the owner). */
  place(program: T): boolean {
    const cell = cellOf(program.descriptors, this.bins);
    const owner = this.owners.get(cell);
    if (owner && owner.metrics.score >= program.metrics.score) return false;
    this.owners.set(cell, program);
    return true;
  }

  isOwner(id: string): boolean {
    for (const p of this.owners.values()) if (p.id === id) return true;
    return false;
  }

  /** Occupied cells in cell order, with their owners. */
  cells(): [number, T][] {
    return [...this.owners.entries()].sort((a, b) => a[0] - b[0]);
  }

  get size(): number {
    return this.owners.size;
  }
}
