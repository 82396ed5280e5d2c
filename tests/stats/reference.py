#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Prints the SciPy reference values typed into tests/stats/test-stats.c (not run by make check).
#
# Run with a Python that has SciPy (Debian: /usr/bin/python3 with python3-scipy):
#     /usr/bin/python3 tests/stats/reference.py
# The data sets here must stay identical to the ones in test-stats.c.  Every value is printed
# with repr() (17 significant digits) next to the SciPy call that produced it.

import math
import warnings
from decimal import Decimal, getcontext

import numpy as np
import scipy
from scipy import stats

warnings.simplefilter("ignore")  # SciPy warns about small samples for method="approx"


def show(name, value):
    print(f"  {name} = {float(value)!r}")


print(f"scipy {scipy.__version__}, numpy {np.__version__}")

# ---- describe: mean, sd (ddof=1), 95 % CI via scipy.stats.t.interval, median, min, max -------
DESC = [12.1, 9.8, 11.4, 10.2, 13.7, 8.9, 10.5]
x = np.array(DESC)
n = len(x)
print("describe DESC")
show("mean  np.mean", np.mean(x))
show("sd    np.std(ddof=1)", np.std(x, ddof=1))
lo, hi = stats.t.interval(0.95, n - 1, loc=np.mean(x), scale=stats.sem(x))
show("ci_low  stats.t.interval(0.95, n-1, loc=mean, scale=stats.sem(x))", lo)
show("ci_high", hi)
show("ci_half stats.t.ppf(0.975, n-1) * stats.sem(x)", stats.t.ppf(0.975, n - 1) * stats.sem(x))
show("median np.median", np.median(x))


# SciPy 1.10's t.ppf (Cephes stdtri) is ~1e-9 relative off at 6 df: check the quantile against
# the closed form of the t distribution for even df (Abramowitz & Stegun 26.7.4), evaluated
# with 40 decimal digits and solved for Q = 0.025 by bisection.
def t_sf_even_df(t, nu):
    t, nu = Decimal(t), Decimal(nu)
    s = t / (nu + t * t).sqrt()
    c2 = nu / (nu + t * t)
    term, total = Decimal(1), Decimal(1)
    for k in range(1, int(nu) // 2):
        term *= c2 * (2 * k - 1) / (2 * k)
        total += term
    return (1 - s * total) / 2


def t_quantile_975_even_df(nu):
    lo, hi = Decimal(0), Decimal(100)
    for _ in range(200):
        mid = (lo + hi) / 2
        if t_sf_even_df(mid, nu) > Decimal("0.025"):
            lo = mid
        else:
            hi = mid
    return lo


getcontext().prec = 40
q6 = t_quantile_975_even_df(6)
show("t(0.975, 6) closed form", q6)
show("t(0.975, 6) stats.t.ppf(0.975, 6)", stats.t.ppf(0.975, 6))
show("ci_half closed-form quantile * np.std(ddof=1) / sqrt(n)",
     float(q6) * np.std(x, ddof=1) / math.sqrt(n))

DESC_EVEN = [4.0, 1.0, 3.0, 2.0]
print("describe DESC_EVEN")
show("median np.median", np.median(DESC_EVEN))
lo, hi = stats.t.interval(0.95, 3, loc=np.mean(DESC_EVEN), scale=stats.sem(DESC_EVEN))
show("ci_low  stats.t.interval(0.95, 3, ...)", lo)
show("ci_high", hi)

# ---- paired t and paired Cohen's d ------------------------------------------------------------
PA = [31.2, 28.7, 35.1, 30.0, 29.4, 33.8, 27.9, 32.5]
PB = [29.8, 28.9, 32.4, 29.1, 27.7, 31.0, 28.3, 30.2]
r = stats.ttest_rel(PA, PB)
d = np.array(PA) - np.array(PB)
print("paired PA PB")
show("t  stats.ttest_rel(PA, PB).statistic", r.statistic)
show("p  stats.ttest_rel(PA, PB).pvalue", r.pvalue)
show("mean_diff np.mean(a - b)", np.mean(d))
show("d  np.mean(a - b) / np.std(a - b, ddof=1)", np.mean(d) / np.std(d, ddof=1))

# ---- Welch t and its Cohen's d ------------------------------------------------------------
WA = [12.0, 14.5, 11.8, 13.2, 15.1, 12.7, 13.9]
WB = [10.1, 16.3, 9.4, 13.8, 8.7, 15.2, 11.0, 12.4, 9.9]
r = stats.ttest_ind(WA, WB, equal_var=False)
va, vb = np.var(WA, ddof=1), np.var(WB, ddof=1)
na, nb = len(WA), len(WB)
df = (va / na + vb / nb) ** 2 / ((va / na) ** 2 / (na - 1) + (vb / nb) ** 2 / (nb - 1))
print("welch WA WB")
show("t  stats.ttest_ind(WA, WB, equal_var=False).statistic", r.statistic)
show("p  stats.ttest_ind(WA, WB, equal_var=False).pvalue", r.pvalue)
show("df Welch-Satterthwaite (by hand)", df)
show("mean_diff", np.mean(WA) - np.mean(WB))
show("d  mean diff / sqrt((va + vb) / 2)", (np.mean(WA) - np.mean(WB)) / math.sqrt((va + vb) / 2))
# p from df by SciPy's t distribution, to check the df above independently of ttest_ind
show("p  2 * stats.t.sf(|t|, df)", 2 * stats.t.sf(abs(r.statistic), df))

WC = [5.0, 5.0, 5.0, 5.0]  # zero variance on one side only: still defined
r = stats.ttest_ind(WA, WC, equal_var=False)
print("welch WA WC")
show("t  stats.ttest_ind(WA, WC, equal_var=False).statistic", r.statistic)
show("p", r.pvalue)
show("df", (va / na) ** 2 / ((va / na) ** 2 / (na - 1)))


# ---- Wilcoxon ---------------------------------------------------------------------------------
def wilcoxon_ref(name, a, b, method):
    a, b = np.array(a), np.array(b)
    r = stats.wilcoxon(a, b, zero_method="wilcox", correction=False,
                       alternative="two-sided", method=method)
    d = a - b
    d = d[d != 0]
    ranks = stats.rankdata(np.abs(d))
    w_plus = ranks[d > 0].sum()
    w_minus = ranks[d < 0].sum()
    print(f"wilcoxon {name} (method={method!r}, nonzero={len(d)})")
    show("p  stats.wilcoxon(a, b, zero_method='wilcox', correction=False, "
         f"method={method!r}).pvalue", r.pvalue)
    show("statistic (SciPy two-sided: min(W+, W-))", r.statistic)
    show("W+ (sum of ranks of positive differences)", w_plus)
    show("W-", w_minus)
    # With the two-sided alternative, SciPy reports min(W+, W-); the one-sided 'greater'
    # alternative reports W+ itself, which is what dmas returns.
    g = stats.wilcoxon(a, b, zero_method="wilcox", correction=False,
                       alternative="greater", method=method)
    show("W+ stats.wilcoxon(..., alternative='greater').statistic", g.statistic)


# exact: 12 pairs, no zero and no tied |difference|
XA = [1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30, 2.01, 0.97, 2.22]
XB = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29, 1.44, 1.21, 1.70]
print("differences XA - XB:", list(np.array(XA) - np.array(XB)))
wilcoxon_ref("XA XB", XA, XB, "exact")


# 50 and 51 pairs with distinct magnitudes: d_i = ((i * 7919) % 1009) + 0.25, negative when
# i % 3 == 0; a = d, b = 0 (exact in binary floating point on both sides).
def big(count):
    return [(((i * 7919) % 1009) + 0.25) * (-1.0 if i % 3 == 0 else 1.0) for i in range(count)]


wilcoxon_ref("BIG50", big(50), [0.0] * 50, "exact")
wilcoxon_ref("BIG51", big(51), [0.0] * 51, "approx")

# ties (no zeros): normal approximation with the tie correction
TA = [2.0, 3.0, 5.0, 4.0, 6.0, 8.0, 7.0, 9.0, 1.0, 3.0, 6.0, 5.0]
TB = [1.0, 1.0, 2.0, 5.0, 3.0, 6.0, 8.0, 5.0, 2.0, 1.0, 4.0, 2.0]
print("differences TA - TB:", list(np.array(TA) - np.array(TB)))
wilcoxon_ref("TA TB", TA, TB, "approx")

# zeros and ties: zeros dropped ("wilcox"), normal approximation
ZA = [10.0, 12.0, 11.0, 14.0, 13.0, 10.0, 15.0, 12.0, 11.0, 16.0]
ZB = [10.0, 11.0, 13.0, 12.0, 13.0, 9.0, 12.0, 12.0, 10.0, 13.0]
print("differences ZA - ZB:", list(np.array(ZA) - np.array(ZB)))
wilcoxon_ref("ZA ZB", ZA, ZB, "approx")

# zeros, no ties among the non-zero: normal approximation too (SciPy switches to it on zeros)
YA = [3.5, 2.0, 7.25, 1.0, 4.0, 6.0, 9.5, 2.0]
YB = [1.0, 2.0, 3.0, 1.0, 5.5, 1.5, 2.25, 0.875]
print("differences YA - YB:", list(np.array(YA) - np.array(YB)))
wilcoxon_ref("YA YB", YA, YB, "approx")


# small exact cases: W+ at the centre of the distribution (p = 1) and at its maximum
wilcoxon_ref("CENTRE", [1.0, 2.0, -3.0], [0.0, 0.0, 0.0], "exact")
wilcoxon_ref("ALLPOS", [1.0, 2.0, 3.0, 4.0, 5.0], [0.0] * 5, "exact")
# a single non-zero difference among zeros: normal approximation over m = 1
wilcoxon_ref("ONE", [0.0, 0.0, 2.0], [0.0, 0.0, 0.0], "approx")

# constant non-zero differences: every magnitude tied
wilcoxon_ref("CONST", [3.0, 5.0, 9.0], [2.0, 4.0, 8.0], "approx")

# ---- Holm, by hand (statsmodels' multipletests(method='holm') is not needed) -------------------
def holm(p):
    idx = [i for i in range(len(p)) if not math.isnan(p[i])]
    m = len(idx)
    order = sorted(idx, key=lambda i: (p[i], i))
    out = [float("nan")] * len(p)
    running = 0.0
    for k, i in enumerate(order):
        running = max(running, min(1.0, (m - k) * p[i]))
        out[i] = running
    return out


HP = [0.01, 0.04, 0.03, 0.005, float("nan"), 0.2, 0.5]
print("holm HP")
for i, v in enumerate(holm(HP)):
    show(f"adjusted[{i}]", v)
