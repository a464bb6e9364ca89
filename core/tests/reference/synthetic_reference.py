"""Reference values for core/tests/synthetic.rs (run: python3 synthetic_reference.py).

Independent of the Rust code: SciPy's distributions, not the generators.

- The radius |x| of a point of a circle of radius rho plus isotropic Gaussian
  noise of standard deviation sigma follows the Rice distribution
  (b = rho / sigma, scale = sigma): its mean and standard deviation.
- The radius of a noise-free spiral point is u ~ U[0, 1): mean 1/2, std 1/sqrt(12).
- A Haar-random orthonormal frame of m rows: each squared entry is
  Beta(1/2, (m - 1)/2), mean 1/m and variance 2(m - 1)/(m^2 (m + 2)).
"""
from scipy import stats

for rho, sigma in [(1.0, 0.2), (0.5, 0.2), (1.0, 0.05)]:
    d = stats.rice(b=rho / sigma, scale=sigma)
    print(f"rice rho={rho} sigma={sigma}: mean={d.mean():.10f} std={d.std():.10f}")

for m in [5, 64]:
    d = stats.beta(0.5, (m - 1) / 2)
    print(f"haar m={m}: E[q^2]={d.mean():.10f} Var[q^2]={d.var():.10f}")
