/**
 * Otsu's threshold over a 256-bin histogram: the grey level that best splits it into a darker and a
 * lighter class (the darker class includes the returned level), or `fallback` when it cannot be
 * split (one grey level only).
 */
export function otsuOfHistogram(hist: ArrayLike<number>, fallback: number): number {
  let total = 0;
  let sum = 0;
  for (let v = 0; v < 256; v++) {
    total += hist[v] as number;
    sum += v * (hist[v] as number);
  }
  let wB = 0;
  let sumB = 0;
  let best = 0;
  let at = fallback;
  for (let v = 0; v < 256; v++) {
    wB += hist[v] as number;
    if (wB === 0) continue;
    const wF = total - wB;
    if (wF === 0) break;
    sumB += v * (hist[v] as number);
    const mB = sumB / wB;
    const mF = (sum - sumB) / wF;
    const between = wB * wF * (mB - mF) ** 2;
    if (between > best) {
      best = between;
      at = v;
    }
  }
  return at;
}
