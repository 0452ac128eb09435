/**
 * The error function in double precision from W. J. Cody's rational approximations (Math. Comp.
 * 23, 1969; the coefficients of his CALERF routine), a fixed handful of multiply-adds per element
 * instead of a series that needs up to ~50 terms:
 *
 * - |x| ≤ 0.46875: erf(x) = x·P₁(x²)/Q₁(x²) (degree 4 over 4 in x²).
 * - 0.46875 < y ≤ 4: erfc(y) = e^{−y²}·P₂(y)/Q₂(y) (degree 8 over 8).
 * - y > 4: erfc(y) = e^{−y²}/y · (1/√π + z·P₃(z)/Q₃(z)), z = 1/y² (degree 5 over 5).
 *
 * e^{−y²} is where accuracy is lost if done naively: the rounding of y·y (half an ulp of y², up to
 * 1e-13 at y = 26) is magnified by e^{−y²} into the same relative error. So y² is split exactly
 * into hi + lo (Dekker's product: hi = fl(y·y), lo its rounding error, |lo| ≤ ulp(hi)/2) and
 * e^{−y²} = e^{−hi}·(1 − lo) to within lo², one exp per element.
 *
 * erf(x) = 1 − erfc(|x|) (with sign) above 0.46875, where erfc < 0.51, so no digit is lost;
 * erfc(x) = 1 − erf(x) below 0.46875 (erfc ≥ 0.49 there); erfc(−y) = 2 − erfc(y). Tested against
 * Python's math.erf/math.erfc (the C library) in erf.test.ts: both within 1e-15 relative.
 */

const INV_SQRT_PI = 0.5641895835477563;
/** Below |x| = 0.46875 erf comes from its own rational function, above from erfc. */
const THRESHOLD = 0.46875;
/** Veltkamp's splitter 2^27 + 1: c·y − (c·y − y) keeps the upper 26 bits of y. */
const SPLITTER = 134217729;

/** e^{−y²} for y ≥ 0 with y² carried as an exact hi + lo pair (see the file header). */
export function expNegSquare(y: number): number {
  const hi = y * y;
  const c = SPLITTER * y;
  const yh = c - (c - y);
  const yl = y - yh;
  const lo = yh * yh - hi + 2 * yh * yl + yl * yl;
  return Math.exp(-hi) * (1 - lo);
}

/** erf(x) for |x| ≤ 0.46875: x·P₁(x²)/Q₁(x²). */
function erfSmall(x: number): number {
  const z = x * x;
  const num =
    (((0.185777706184603153 * z + 3.1611237438705656) * z + 113.864154151050156) * z + 377.485237685302021) * z + 3209.37758913846947;
  const den = (((z + 23.6012909523441209) * z + 244.024637934444173) * z + 1282.61652607737228) * z + 2844.23683343917062;
  return (x * num) / den;
}

/** erfc(y) / e^{−y²} for y > 0.46875 (finite): P₂/Q₂ up to 4, the asymptotic form in 1/y² above. */
function erfcScaledLarge(y: number): number {
  if (y <= 4) {
    const num =
      (((((((2.15311535474403846e-8 * y + 0.564188496988670089) * y + 8.88314979438837594) * y + 66.1191906371416295) * y +
        298.635138197400131) *
        y +
        881.95222124176909) *
        y +
        1712.04761263407058) *
        y +
        2051.07837782607147) *
        y +
      1230.33935479799725;
    const den =
      (((((((y + 15.7449261107098347) * y + 117.693950891312499) * y + 537.181101862009858) * y + 1621.38957456669019) * y +
        3290.79923573345963) *
        y +
        4362.61909014324716) *
        y +
        3439.36767414372164) *
        y +
      1230.33935480374942;
    return num / den;
  }
  const z = 1 / (y * y);
  const num =
    ((((0.0163153871373020978 * z + 0.305326634961232344) * z + 0.360344899949804439) * z + 0.125781726111229246) * z +
      0.0160837851487422766) *
      z +
    6.58749161529837803e-4;
  const den =
    ((((z + 2.56852019228982242) * z + 1.87295284992346047) * z + 0.527905102951428412) * z + 0.0605183413124413191) * z +
    2.33520497626869185e-3;
  return (INV_SQRT_PI - (z * num) / den) / y;
}

/** erfc(y) for y > 0.46875 (+∞ gives 0; past y ≈ 27.3 the value underflows to 0). */
function erfcLarge(y: number): number {
  if (y > 27.5) return 0;
  return expNegSquare(y) * erfcScaledLarge(y);
}

/** erf(x) = (2/√π) ∫₀ˣ e^{−t²} dt. NaN gives NaN; ±Infinity give ±1. */
export function erfScalar(x: number): number {
  const y = Math.abs(x);
  if (y <= THRESHOLD) return erfSmall(x);
  if (!(y <= 6)) return y > 6 ? (x < 0 ? -1 : 1) : NaN; // erf rounds to ±1 from |x| ≈ 5.93
  const value = 1 - erfcLarge(y);
  return x < 0 ? -value : value;
}

/** erfc(x) = 1 − erf(x), accurate relative to itself also where it is tiny (large x). */
export function erfcScalar(x: number): number {
  const y = Math.abs(x);
  if (y <= THRESHOLD) return 1 - erfSmall(x);
  if (Number.isNaN(x)) return NaN;
  return x < 0 ? 2 - erfcLarge(y) : erfcLarge(y);
}
