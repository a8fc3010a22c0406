// Blocks prints Java's Unicode blocks for internal/javaregex/blocks.go: a
// line "N<TAB>name<TAB>block" for each name Character.UnicodeBlock.forName
// accepts (upper case, as forName looks them up), and a line
// "R<TAB>first<TAB>last<TAB>block" for each block's code points (hex). It
// must run on Java 17 (Unicode 13, as API Gateway's Java 17 has them); the
// Go table is written from its output:
//
//	javac -d /tmp/javablocks testdata/javablocks/Blocks.java
//	java --add-opens java.base/java.lang=ALL-UNNAMED -cp /tmp/javablocks Blocks > /tmp/blocks.txt
//
// then each N line becomes an entry of javaBlockNames (its block's index)
// and each R line, in order, an entry of javaBlockRanges; a block that
// forName knows but no code point has (SURROGATES_AREA) gets an empty
// range at the end.
import java.lang.reflect.*;
import java.util.*;

public class Blocks {
    public static void main(String[] a) throws Exception {
        Field mf = Character.UnicodeBlock.class.getDeclaredField("map");
        mf.setAccessible(true);
        @SuppressWarnings("unchecked")
        Map<String, Character.UnicodeBlock> map = (Map<String, Character.UnicodeBlock>) mf.get(null);
        TreeMap<String, String> names = new TreeMap<>();
        for (Map.Entry<String, Character.UnicodeBlock> e : map.entrySet()) names.put(e.getKey(), e.getValue().toString());
        for (Map.Entry<String, String> e : names.entrySet()) System.out.println("N\t" + e.getKey() + "\t" + e.getValue());
        Character.UnicodeBlock cur = null; int start = 0;
        for (int cp = 0; cp <= 0x110000; cp++) {
            Character.UnicodeBlock b = cp <= 0x10FFFF ? Character.UnicodeBlock.of(cp) : null;
            if (b != cur) {
                if (cur != null) System.out.println("R\t" + Integer.toHexString(start) + "\t" + Integer.toHexString(cp - 1) + "\t" + cur);
                cur = b; start = cp;
            }
        }
    }
}
