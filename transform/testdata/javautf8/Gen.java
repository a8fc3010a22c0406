// Gen prints byte sequences, mostly malformed UTF-8, with the UTF-16 units
// Java's new String(bytes, UTF_8) makes of them, one "hexbytes<TAB>units"
// line each (units as 4-digit hex, each followed by '.'), for
// TestJavaUTF8Table in transform. From a fixed seed, so the output is the
// same on every run. From transform:
//
//	javac -d /tmp/javautf8 testdata/javautf8/Gen.java
//	java -cp /tmp/javautf8 Gen | gzip -9n > testdata/javautf8/decode.txt.gz
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
public class Gen {
    public static void main(String[] a) {
        SplittableRandom r = new SplittableRandom(5);
        StringBuilder sb = new StringBuilder();
        byte[] special = {(byte)0xc0,(byte)0xc1,(byte)0xc2,(byte)0xdf,(byte)0xe0,(byte)0xed,(byte)0xef,(byte)0xf0,(byte)0xf4,(byte)0xf5,(byte)0xff,(byte)0x80,(byte)0x9f,(byte)0xa0,(byte)0xbf,(byte)0x8f,(byte)0x90,0x41};
        for (int n = 0; n < 20000; n++) {
            int len = 1 + r.nextInt(6);
            byte[] b = new byte[len];
            for (int i = 0; i < len; i++) b[i] = r.nextInt(3) == 0 ? (byte) r.nextInt(256) : special[r.nextInt(special.length)];
            String s = new String(b, StandardCharsets.UTF_8);
            sb.setLength(0);
            for (byte x : b) sb.append(String.format("%02x", x & 0xff));
            sb.append('\t');
            for (int i = 0; i < s.length(); i++) sb.append(String.format("%04x.", (int) s.charAt(i)));
            System.out.println(sb);
        }
    }
}
