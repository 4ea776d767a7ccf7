package org.darkscope.tpc;

import java.util.SplittableRandom;
import org.apache.commons.numbers.gamma.Erf;

/**
 * The nuclear-recoil spectrum of spin-independent WIMP-nucleus scattering in xenon, in the
 * standard halo model (Lewin and Smith, Astropart. Phys. 6 (1996) 87):
 * dR/dE = rho_0 sigma_p A^2 F^2(E) eta(v_min) / (2 m_chi mu_p^2), with
 * v_min = sqrt(m_N E / (2 mu_N^2)), the mean inverse speed eta of a Maxwellian truncated at the
 * escape speed and boosted by the Earth's motion (the closed form of Savage, Freese and Gondolo,
 * Phys. Rev. D 74 (2006) 043531), and Helm's form factor with Lewin and Smith's parameters.
 * Constants: rho_0 = 0.3 GeV/cm^3, v_0 = 220 km/s, v_E = 232 km/s, v_esc = 544 km/s (Smith et al.,
 * MNRAS 379 (2007) 755), the conventions of the XENON1T result. One xenon isotope, A = 131,
 * stands for the natural mix (a simplification: the isotopes' spectra differ by a few per cent).
 */
public final class WimpSpectrum {
    static final double RHO_GEV_PER_CM3 = 0.3;
    static final double V0_KM_S = 220;
    static final double VE_KM_S = 232;
    static final double VESC_KM_S = 544;
    static final double C_KM_S = 299_792.458;
    static final int A = 131;
    static final double AMU_GEV = 0.931494;
    static final double PROTON_GEV = 0.938272;
    static final double HBAR_C_GEV_FM = 0.197327;
    /** The halo above in words, for data cards. */
    public static final String HALO = "rho_0 = " + RHO_GEV_PER_CM3 + " GeV/cm^3, v_0 = " + (int) V0_KM_S + " km/s, v_E = " + (int) VE_KM_S
            + " km/s, v_esc = " + (int) VESC_KM_S + " km/s";
    static final double GEV_KG = 1.78266192e-27;
    static final double SECONDS_PER_YEAR = 3.15576e7;
    private static final int TABLE = 4_000;

    private final double massGev;
    private final double nucleusGev = A * AMU_GEV;
    private final double minKeV;
    private final double maxKeV;
    private final double[] cumulative = new double[TABLE + 1];

    /** The spectrum of a WIMP of {@code massGev}, sampled between {@code minKeV} and {@code maxKeV} of recoil energy. */
    public WimpSpectrum(double massGev, double minKeV, double maxKeV) {
        if (!(massGev > 0)) {
            throw new IllegalArgumentException("the WIMP mass must be positive, got " + massGev);
        }
        this.massGev = massGev;
        this.minKeV = minKeV;
        this.maxKeV = Math.min(maxKeV, maximumRecoilKeV());
        if (!(this.maxKeV > minKeV)) {
            throw new IllegalArgumentException("a WIMP of " + massGev + " GeV gives no recoil above " + minKeV + " keV");
        }
        double step = (this.maxKeV - minKeV) / TABLE;
        for (int i = 1; i <= TABLE; i++) { // trapezoids
            cumulative[i] = cumulative[i - 1] + step * (rate(minKeV + (i - 1) * step, 1) + rate(minKeV + i * step, 1)) / 2;
        }
    }

    static double reduced(double a, double b) {
        return a * b / (a + b);
    }

    /** The largest recoil energy the halo allows: 2 mu_N^2 (v_esc + v_E)^2 / m_N. */
    public double maximumRecoilKeV() {
        double mu = reduced(massGev, nucleusGev);
        double v = (VESC_KM_S + VE_KM_S) / C_KM_S;
        return 2 * mu * mu * v * v / nucleusGev * 1e6;
    }

    /** The smallest WIMP speed that gives a recoil of {@code keV}, in km/s. */
    public double minimumSpeed(double keV) {
        double mu = reduced(massGev, nucleusGev);
        return Math.sqrt(nucleusGev * keV * 1e-6 / (2 * mu * mu)) * C_KM_S;
    }

    /** The mean inverse speed of the WIMPs faster than {@code vmin}, in s/km. */
    public static double eta(double vmin) {
        double x = vmin / V0_KM_S;
        double y = VE_KM_S / V0_KM_S;
        double z = VESC_KM_S / V0_KM_S;
        double norm = erf(z) - 2 * z * Math.exp(-z * z) / Math.sqrt(Math.PI);
        double scale = 1 / (2 * norm * V0_KM_S * y);
        if (x < z - y) {
            return scale * (erf(x + y) - erf(x - y) - 4 * y / Math.sqrt(Math.PI) * Math.exp(-z * z));
        }
        if (x < z + y) {
            return scale * (erf(z) - erf(x - y) - 2 * (z + y - x) / Math.sqrt(Math.PI) * Math.exp(-z * z));
        }
        return 0;
    }

    private static double erf(double x) {
        return Erf.value(x);
    }

    /** Helm's form factor squared at a recoil of {@code keV}, s = 0.9 fm, a = 0.52 fm, c = 1.23 A^(1/3) - 0.60 fm. */
    public static double helm2(double keV) {
        double q = Math.sqrt(2 * A * AMU_GEV * keV * 1e-6) / HBAR_C_GEV_FM; // fm^-1
        double s = 0.9;
        double a = 0.52;
        double c = 1.23 * Math.cbrt(A) - 0.60;
        double rn = Math.sqrt(c * c + 7.0 / 3 * Math.PI * Math.PI * a * a - 5 * s * s);
        double qr = q * rn;
        if (qr < 1e-6) {
            return 1;
        }
        double j1 = Math.sin(qr) / (qr * qr) - Math.cos(qr) / qr;
        double f = 3 * j1 / qr * Math.exp(-q * q * s * s / 2);
        return f * f;
    }

    /** dR/dE at {@code keV} for a WIMP-nucleon cross-section of {@code sigmaCm2}, in events per tonne, year and keV. */
    public double rate(double keV, double sigmaCm2) {
        double mu = reduced(massGev, PROTON_GEV);
        double number = RHO_GEV_PER_CM3 / massGev; // per cm^3
        double c2 = C_KM_S * C_KM_S * 1e10; // (cm/s)^2
        double etaSPerCm = eta(minimumSpeed(keV)) * 1e-5;
        double perKgSecondGev = number * sigmaCm2 * A * A * helm2(keV) * c2 * etaSPerCm / (2 * mu * mu * GEV_KG);
        return perKgSecondGev * 1000 * SECONDS_PER_YEAR * 1e-6;
    }

    /** Events per tonne and year between the spectrum's bounds, for a cross-section of {@code sigmaCm2}. */
    public double totalRate(double sigmaCm2) {
        return cumulative[TABLE] * sigmaCm2;
    }

    public double minKeV() {
        return minKeV;
    }

    public double maxKeV() {
        return maxKeV;
    }

    /** A recoil energy drawn from the spectrum (inverting its tabulated cumulative distribution). */
    public double draw(SplittableRandom random) {
        double u = random.nextDouble() * cumulative[TABLE];
        int lo = 0;
        int hi = TABLE;
        while (hi - lo > 1) {
            int mid = (lo + hi) >>> 1;
            if (cumulative[mid] <= u) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        double width = cumulative[hi] - cumulative[lo];
        double step = (maxKeV - minKeV) / TABLE;
        return minKeV + step * (lo + (width > 0 ? (u - cumulative[lo]) / width : 0.5));
    }
}
