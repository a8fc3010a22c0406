// FormatGen prints doubles with java.util.Formatter's %f, %e, %g and %a,
// one "hexbits<TAB>p<TAB>%.pf<TAB>%.pe<TAB>%f<TAB>%E<TAB>%.pg<TAB>%G<TAB>%.pa<TAB>%A"
// line each (hexbits as
// Long.toHexString of the raw bits, p a precision from 0 to 11), for
// TestJavaFormatTable in transform/vtl. The doubles are edge cases (halves
// at each precision, nines that carry, 1e23, subnormals, the largest
// double), random bit patterns, price-like numbers and their products,
// and powers of ten times random fractions; from a fixed seed, so the
// output is the same on every run.
//
// It must run on a JDK before 19 (Java 17), whose Formatter takes the
// digits of FloatingDecimal. From transform/vtl:
//
//	javac -d /tmp/javaformat testdata/javadouble/FormatGen.java
//	java -cp /tmp/javaformat FormatGen | gzip -9n > testdata/javadouble/format.txt.gz
import java.util.SplittableRandom;

public class FormatGen {
    static final int RANDOM = 8_000;

    public static void main(String[] args) {
        if (Runtime.version().feature() >= 19) {
            System.err.println("FormatGen: needs a JDK before 19 (Java 17)");
            System.exit(2);
        }
        double[] edges = {0, -0.0, 1e23, 2e23, 0.125, 0.5, 0.05, 0.005, 0.0005, 1.005, 2.675, 9.995,
            0.999, 99.995, 1e-5, 123456789.125, 4.9E-324, Double.MIN_NORMAL, Double.MAX_VALUE,
            2.82879384806159E17, 1e7, 1e-3, 0.1, 0.3, 1.0 / 3, 1e300, 162.59, 0.045, 1.45, 2.5,
            3.5, 9.5, 0.95, 999999.9999999, 8.41E21, 5e-5, 4.35, 1e-10, 123.456e-300,
            0.0001, 0.00009999995, 99999.95, 999999.5, 1e6, Double.NaN, Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY};
        SplittableRandom r = new SplittableRandom(20261128L);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < edges.length + RANDOM; i++) {
            double d;
            if (i < edges.length) {
                d = edges[i];
            } else {
                switch (i % 4) {
                    case 0: d = Double.longBitsToDouble(r.nextLong() & 0x7fffffffffffffffL); break;
                    case 1: d = r.nextInt(1000000) / 100.0 * (r.nextInt(100) / 7.0); break;
                    case 2: d = Math.pow(10, r.nextInt(60) - 30) * r.nextDouble(); break;
                    default: d = r.nextInt(100000) / Math.pow(10, r.nextInt(8)); break;
                }
            }
            if (i >= edges.length && (Double.isNaN(d) || Double.isInfinite(d))) {
                continue;
            }
            int p = i < edges.length ? i % 12 : r.nextInt(12);
            sb.setLength(0);
            sb.append(Long.toHexString(Double.doubleToRawLongBits(d))).append('\t').append(p)
              .append('\t').append(String.format("%." + p + "f", d))
              .append('\t').append(String.format("%." + p + "e", d))
              .append('\t').append(String.format("%f", d))
              .append('\t').append(String.format("%E", d))
              .append('\t').append(String.format("%." + p + "g", d))
              .append('\t').append(String.format("%G", d))
              .append('\t').append(String.format("%." + p + "a", d))
              .append('\t').append(String.format("%A", d));
            System.out.println(sb);
        }
    }
}
