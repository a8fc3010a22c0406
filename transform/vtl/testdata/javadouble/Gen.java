// Gen prints doubles with Java's Double.toString, one "hexbits<TAB>text"
// line each (hexbits as Long.toHexString of the raw bits), for
// TestJavaDoubleTable in transform/vtl. The doubles are edge cases (powers
// of 2 and 10 and their neighbours, subnormals, the ends of the plain
// notation range, long integers, known JDK-4511638 cases), random bit
// patterns, price-like numbers and the results of arithmetic on them, and
// doubles where FloatingDecimal's digits are not the shortest decimal; all
// from fixed seeds, so the output is the same on every run.
//
// It must run on Java 17 (any JDK before 19 prints the same; JDK 19 changed
// Double.toString to the shortest decimal). From transform/vtl:
//
//	javac -d /tmp/javadouble testdata/javadouble/Gen.java
//	java -cp /tmp/javadouble Gen | gzip -9n > testdata/javadouble/doubles.txt.gz
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.SplittableRandom;

public class Gen {
    static final int RANDOM = 50_000;
    static final int PRICES = 50_000;
    static final int NOT_SHORTEST = 2_000;

    public static void main(String[] args) throws IOException {
        if (Runtime.version().feature() >= 19) {
            System.err.println("Gen: needs a JDK before 19 (Java 17): JDK 19 changed Double.toString");
            System.exit(2);
        }
        LinkedHashSet<Long> all = new LinkedHashSet<>();
        edges(all);
        SplittableRandom rnd = new SplittableRandom(20240611L);
        for (int n = 0; n < RANDOM; ) {
            long bits = rnd.nextLong();
            if (Double.isFinite(Double.longBitsToDouble(bits)) && all.add(bits)) {
                n++;
            }
        }
        for (int n = 0; n < PRICES; ) {
            if (all.add(Double.doubleToRawLongBits(priceLike(rnd)))) {
                n++;
            }
        }
        // Doubles whose Double.toString is not the shortest decimal, half
        // from random bit patterns, half price-like.
        for (int n = 0; n < NOT_SHORTEST; ) {
            double d = n % 2 == 0 ? Double.longBitsToDouble(rnd.nextLong()) : priceLike(rnd);
            if (Double.isFinite(d) && d != 0 && !isShortest(d) && all.add(Double.doubleToRawLongBits(d))) {
                n++;
            }
        }
        BufferedWriter w = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.US_ASCII), 1 << 16);
        for (long bits : all) {
            w.write(Long.toHexString(bits));
            w.write('\t');
            w.write(Double.toString(Double.longBitsToDouble(bits)));
            w.write('\n');
        }
        w.flush();
    }

    static void add(LinkedHashSet<Long> all, double d) {
        all.add(Double.doubleToRawLongBits(d));
        all.add(Double.doubleToRawLongBits(-d));
    }

    // addAround adds d and its n neighbours on each side.
    static void addAround(LinkedHashSet<Long> all, double d, int n) {
        add(all, d);
        double up = d, down = d;
        for (int i = 0; i < n; i++) {
            up = Math.nextUp(up);
            down = Math.nextDown(down);
            if (Double.isFinite(up)) {
                add(all, up);
            }
            add(all, down);
        }
    }

    static void edges(LinkedHashSet<Long> all) {
        add(all, 0.0);
        add(all, Double.NaN);
        add(all, Double.POSITIVE_INFINITY);
        addAround(all, Double.MIN_VALUE, 3);
        addAround(all, Double.MIN_NORMAL, 3);
        addAround(all, Double.MAX_VALUE, 3);
        for (int e = -1074; e <= 1023; e++) {
            addAround(all, Math.scalb(1.0, e), 1);
        }
        for (int e = -324; e <= 308; e++) {
            addAround(all, Double.parseDouble("1e" + e), 2);
            for (int d = 2; d <= 9; d++) {
                double x = Double.parseDouble(d + "e" + e);
                if (x != 0 && Double.isFinite(x)) {
                    add(all, x);
                }
            }
        }
        for (int k = 1; k <= 300; k++) {
            add(all, Double.MIN_VALUE * k);
        }
        SplittableRandom rnd = new SplittableRandom(1);
        for (int i = 0; i < 1000; i++) {
            add(all, Double.longBitsToDouble(rnd.nextLong() & 0x000FFFFFFFFFFFFFL));
        }
        // The ends of plain notation, and the ends of its digit lengths.
        addAround(all, 1e-3, 100);
        addAround(all, 1e7, 100);
        addAround(all, 9999999.999999998, 10);
        addAround(all, 0.0009999999999999998, 10);
        // Long integers: where FloatingDecimal rounds off digits below a
        // double's precision, and where it stops handling integers itself.
        for (int e = 52; e <= 65; e++) {
            addAround(all, Math.scalb(1.0, e), 20);
        }
        for (long v = 1; v > 0 && v < Long.MAX_VALUE / 3; v = v * 3 + 1) {
            add(all, (double) v);
        }
        for (int i = 1; i <= 1000; i++) {
            add(all, i);
            add(all, i / 10.0);
            add(all, i / 1000.0);
            add(all, i * 1e-5);
            add(all, i * 1e5 + 0.5);
        }
        // Cases from JDK-4511638 and its neighbours.
        double[] known = {
            1.0E23, 2.0E23, 8.41E21, 2.82879384806159E17, 1.9400994884341945E25,
            5.0E-324, 1.0E-322, 4.9E-324, 9.9E-324, 2.0E-3, 1.0E-5, 5.764607523034235E39,
            1.152921504606847E40, 4.8726570057E288, 7.3879E20, 2.0E16, 1.0E16,
            9.007199254740993E15, 1.8014398509481984E16, 4.294967296E9, 1.0E-7,
            2.2250738585072012E-308, 2.225073858507201E-308, 4.9E-323, 1.4E-45,
            3.4028235E38, 1.7976931348623157E308, 123456.789, 0.1 + 0.2, 1.1 * 1.1,
            100.0 / 3, 2.0 / 3, 0.3 - 0.1, 1.0E21, 1.0E22, 9.999999999999999E22,
        };
        for (double d : known) {
            addAround(all, d, 2);
        }
    }

    // priceLike returns a short decimal such as a price, a quantity or a
    // rate, or the result of arithmetic on two of them.
    static double priceLike(SplittableRandom rnd) {
        double a = shortDecimal(rnd), b = shortDecimal(rnd);
        switch (rnd.nextInt(8)) {
            case 0:
            case 1:
                return a;
            case 2:
                return a * b;
            case 3:
                return b == 0 ? a : a / b;
            case 4:
                return a + b;
            case 5:
                return a - b;
            case 6:
                return a * (1 + rnd.nextInt(20)) * 1.0825;
            default:
                return Math.round(a * 100) / 100.0 * rnd.nextInt(1, 1000);
        }
    }

    // shortDecimal returns m/10^k for k <= 4 and m of 1 to 11 digits, as a
    // JSON number with up to four decimals parses.
    static double shortDecimal(SplittableRandom rnd) {
        int k = rnd.nextInt(5);
        long m = rnd.nextLong((long) Math.pow(10, 1 + rnd.nextInt(11)));
        return m / Math.pow(10, k);
    }

    // isShortest reports whether Double.toString(d) is the shortest
    // decimal that reads back as d, and the closest to d of that length.
    static boolean isShortest(double d) {
        BigDecimal s = new BigDecimal(Double.toString(d)).stripTrailingZeros();
        BigDecimal exact = new BigDecimal(d);
        int p = s.precision();
        if (!s.equals(exact.round(new MathContext(p, RoundingMode.HALF_EVEN)).stripTrailingZeros())) {
            return false;
        }
        return p == 1 || exact.round(new MathContext(p - 1, RoundingMode.HALF_EVEN)).doubleValue() != d;
    }
}
