import { writeFile } from "node:fs/promises";
import { join } from "node:path";

/**
 * Small generated documents, for corpus folders of thousands of files: bulletin N is
 * `bulletin-N.txt`, id `bulletin-N`, about flights and officers in one of six places.
 */

const PLACES = ["Panama", "Costa Rica", "Mexico", "Colombia", "Guatemala", "Honduras"];

export function bulletin(n: number): string {
  const place = PLACES[n % PLACES.length];
  return `Bulletin ${n}: ${place} flights\n\nOfficials in ${place} said on day ${n} that the United States pays for ${n % 40} deportation flights carrying migrants from the Darién Gap.\n\nThe immigration officers sent by the delegation discussed the agreement with ${PLACES[(n + 1) % PLACES.length]} on day ${n}.\n`;
}

/** Writes bulletins `from` to `to - 1` into `dir`, 500 at a time. */
export async function writeBulletins(dir: string, from: number, to: number): Promise<void> {
  for (let n = from; n < to; n += 500) {
    await Promise.all(
      Array.from({ length: Math.min(500, to - n) }, (_, i) =>
        writeFile(join(dir, `bulletin-${n + i}.txt`), bulletin(n + i)),
      ),
    );
  }
}
