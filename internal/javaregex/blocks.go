// Code generated from Java 17's Character.UnicodeBlock by testdata/javablocks/Blocks.java; DO NOT EDIT.

package javaregex

// javaBlockNames maps the names Character.UnicodeBlock.forName accepts,
// in upper case, to the block's index in javaBlockRanges.
var javaBlockNames = map[string]uint16{
	"ADLAM":                                   277,
	"AEGEAN NUMBERS":                          165,
	"AEGEANNUMBERS":                           165,
	"AEGEAN_NUMBERS":                          165,
	"AHOM":                                    227,
	"ALCHEMICAL SYMBOLS":                      290,
	"ALCHEMICALSYMBOLS":                       290,
	"ALCHEMICAL_SYMBOLS":                      290,
	"ALPHABETIC PRESENTATION FORMS":           153,
	"ALPHABETICPRESENTATIONFORMS":             153,
	"ALPHABETIC_PRESENTATION_FORMS":           153,
	"ANATOLIAN HIEROGLYPHS":                   247,
	"ANATOLIANHIEROGLYPHS":                    247,
	"ANATOLIAN_HIEROGLYPHS":                   247,
	"ANCIENT GREEK MUSICAL NOTATION":          267,
	"ANCIENT GREEK NUMBERS":                   166,
	"ANCIENT SYMBOLS":                         167,
	"ANCIENTGREEKMUSICALNOTATION":             267,
	"ANCIENTGREEKNUMBERS":                     166,
	"ANCIENTSYMBOLS":                          167,
	"ANCIENT_GREEK_MUSICAL_NOTATION":          267,
	"ANCIENT_GREEK_NUMBERS":                   166,
	"ANCIENT_SYMBOLS":                         167,
	"ARABIC":                                  12,
	"ARABIC EXTENDED-A":                       20,
	"ARABIC MATHEMATICAL ALPHABETIC SYMBOLS":  280,
	"ARABIC PRESENTATION FORMS-A":             154,
	"ARABIC PRESENTATION FORMS-B":             160,
	"ARABIC SUPPLEMENT":                       14,
	"ARABICEXTENDED-A":                        20,
	"ARABICMATHEMATICALALPHABETICSYMBOLS":     280,
	"ARABICPRESENTATIONFORMS-A":               154,
	"ARABICPRESENTATIONFORMS-B":               160,
	"ARABICSUPPLEMENT":                        14,
	"ARABIC_EXTENDED_A":                       20,
	"ARABIC_MATHEMATICAL_ALPHABETIC_SYMBOLS":  280,
	"ARABIC_PRESENTATION_FORMS_A":             154,
	"ARABIC_PRESENTATION_FORMS_B":             160,
	"ARABIC_SUPPLEMENT":                       14,
	"ARMENIAN":                                10,
	"ARROWS":                                  77,
	"AVESTAN":                                 197,
	"BALINESE":                                57,
	"BAMUM":                                   125,
	"BAMUM SUPPLEMENT":                        248,
	"BAMUMSUPPLEMENT":                         248,
	"BAMUM_SUPPLEMENT":                        248,
	"BASIC LATIN":                             0,
	"BASICLATIN":                              0,
	"BASIC_LATIN":                             0,
	"BASSA VAH":                               250,
	"BASSAVAH":                                250,
	"BASSA_VAH":                               250,
	"BATAK":                                   59,
	"BENGALI":                                 22,
	"BHAIKSUKI":                               235,
	"BLOCK ELEMENTS":                          84,
	"BLOCKELEMENTS":                           84,
	"BLOCK_ELEMENTS":                          84,
	"BOPOMOFO":                                109,
	"BOPOMOFO EXTENDED":                       112,
	"BOPOMOFOEXTENDED":                        112,
	"BOPOMOFO_EXTENDED":                       112,
	"BOX DRAWING":                             83,
	"BOXDRAWING":                              83,
	"BOX_DRAWING":                             83,
	"BRAHMI":                                  210,
	"BRAILLE PATTERNS":                        90,
	"BRAILLEPATTERNS":                         90,
	"BRAILLE_PATTERNS":                        90,
	"BUGINESE":                                54,
	"BUHID":                                   45,
	"BYZANTINE MUSICAL SYMBOLS":               265,
	"BYZANTINEMUSICALSYMBOLS":                 265,
	"BYZANTINE_MUSICAL_SYMBOLS":               265,
	"CARIAN":                                  170,
	"CAUCASIAN ALBANIAN":                      182,
	"CAUCASIANALBANIAN":                       182,
	"CAUCASIAN_ALBANIAN":                      182,
	"CHAKMA":                                  213,
	"CHAM":                                    138,
	"CHEROKEE":                                39,
	"CHEROKEE SUPPLEMENT":                     144,
	"CHEROKEESUPPLEMENT":                      144,
	"CHEROKEE_SUPPLEMENT":                     144,
	"CHESS SYMBOLS":                           294,
	"CHESSSYMBOLS":                            294,
	"CHESS_SYMBOLS":                           294,
	"CHORASMIAN":                              208,
	"CJK COMPATIBILITY":                       116,
	"CJK COMPATIBILITY FORMS":                 158,
	"CJK COMPATIBILITY IDEOGRAPHS":            152,
	"CJK COMPATIBILITY IDEOGRAPHS SUPPLEMENT": 302,
	"CJK RADICALS SUPPLEMENT":                 103,
	"CJK STROKES":                             113,
	"CJK SYMBOLS AND PUNCTUATION":             106,
	"CJK UNIFIED IDEOGRAPHS":                  119,
	"CJK UNIFIED IDEOGRAPHS EXTENSION A":      117,
	"CJK UNIFIED IDEOGRAPHS EXTENSION B":      297,
	"CJK UNIFIED IDEOGRAPHS EXTENSION C":      298,
	"CJK UNIFIED IDEOGRAPHS EXTENSION D":      299,
	"CJK UNIFIED IDEOGRAPHS EXTENSION E":      300,
	"CJK UNIFIED IDEOGRAPHS EXTENSION F":      301,
	"CJK UNIFIED IDEOGRAPHS EXTENSION G":      303,
	"CJKCOMPATIBILITY":                        116,
	"CJKCOMPATIBILITYFORMS":                   158,
	"CJKCOMPATIBILITYIDEOGRAPHS":              152,
	"CJKCOMPATIBILITYIDEOGRAPHSSUPPLEMENT":    302,
	"CJKRADICALSSUPPLEMENT":                   103,
	"CJKSTROKES":                              113,
	"CJKSYMBOLSANDPUNCTUATION":                106,
	"CJKUNIFIEDIDEOGRAPHS":                    119,
	"CJKUNIFIEDIDEOGRAPHSEXTENSIONA":          117,
	"CJKUNIFIEDIDEOGRAPHSEXTENSIONB":          297,
	"CJKUNIFIEDIDEOGRAPHSEXTENSIONC":          298,
	"CJKUNIFIEDIDEOGRAPHSEXTENSIOND":          299,
	"CJKUNIFIEDIDEOGRAPHSEXTENSIONE":          300,
	"CJKUNIFIEDIDEOGRAPHSEXTENSIONF":          301,
	"CJKUNIFIEDIDEOGRAPHSEXTENSIONG":          303,
	"CJK_COMPATIBILITY":                       116,
	"CJK_COMPATIBILITY_FORMS":                 158,
	"CJK_COMPATIBILITY_IDEOGRAPHS":            152,
	"CJK_COMPATIBILITY_IDEOGRAPHS_SUPPLEMENT": 302,
	"CJK_RADICALS_SUPPLEMENT":                 103,
	"CJK_STROKES":                             113,
	"CJK_SYMBOLS_AND_PUNCTUATION":             106,
	"CJK_UNIFIED_IDEOGRAPHS":                  119,
	"CJK_UNIFIED_IDEOGRAPHS_EXTENSION_A":      117,
	"CJK_UNIFIED_IDEOGRAPHS_EXTENSION_B":      297,
	"CJK_UNIFIED_IDEOGRAPHS_EXTENSION_C":      298,
	"CJK_UNIFIED_IDEOGRAPHS_EXTENSION_D":      299,
	"CJK_UNIFIED_IDEOGRAPHS_EXTENSION_E":      300,
	"CJK_UNIFIED_IDEOGRAPHS_EXTENSION_F":      301,
	"CJK_UNIFIED_IDEOGRAPHS_EXTENSION_G":      303,
	"COMBINING DIACRITICAL MARKS":             6,
	"COMBINING DIACRITICAL MARKS EXTENDED":    56,
	"COMBINING DIACRITICAL MARKS FOR SYMBOLS": 74,
	"COMBINING DIACRITICAL MARKS SUPPLEMENT":  68,
	"COMBINING HALF MARKS":                    157,
	"COMBINING MARKS FOR SYMBOLS":             74,
	"COMBININGDIACRITICALMARKS":               6,
	"COMBININGDIACRITICALMARKSEXTENDED":       56,
	"COMBININGDIACRITICALMARKSFORSYMBOLS":     74,
	"COMBININGDIACRITICALMARKSSUPPLEMENT":     68,
	"COMBININGHALFMARKS":                      157,
	"COMBININGMARKSFORSYMBOLS":                74,
	"COMBINING_DIACRITICAL_MARKS":             6,
	"COMBINING_DIACRITICAL_MARKS_EXTENDED":    56,
	"COMBINING_DIACRITICAL_MARKS_SUPPLEMENT":  68,
	"COMBINING_HALF_MARKS":                    157,
	"COMBINING_MARKS_FOR_SYMBOLS":             74,
	"COMMON INDIC NUMBER FORMS":               129,
	"COMMONINDICNUMBERFORMS":                  129,
	"COMMON_INDIC_NUMBER_FORMS":               129,
	"CONTROL PICTURES":                        80,
	"CONTROLPICTURES":                         80,
	"CONTROL_PICTURES":                        80,
	"COPTIC":                                  97,
	"COPTIC EPACT NUMBERS":                    171,
	"COPTICEPACTNUMBERS":                      171,
	"COPTIC_EPACT_NUMBERS":                    171,
	"COUNTING ROD NUMERALS":                   270,
	"COUNTINGRODNUMERALS":                     270,
	"COUNTING_ROD_NUMERALS":                   270,
	"CUNEIFORM":                               242,
	"CUNEIFORM NUMBERS AND PUNCTUATION":       243,
	"CUNEIFORMNUMBERSANDPUNCTUATION":          243,
	"CUNEIFORM_NUMBERS_AND_PUNCTUATION":       243,
	"CURRENCY SYMBOLS":                        73,
	"CURRENCYSYMBOLS":                         73,
	"CURRENCY_SYMBOLS":                        73,
	"CYPRIOT SYLLABARY":                       184,
	"CYPRIOTSYLLABARY":                        184,
	"CYPRIOT_SYLLABARY":                       184,
	"CYRILLIC":                                8,
	"CYRILLIC EXTENDED-A":                     101,
	"CYRILLIC EXTENDED-B":                     124,
	"CYRILLIC EXTENDED-C":                     62,
	"CYRILLIC SUPPLEMENT":                     9,
	"CYRILLIC SUPPLEMENTARY":                  9,
	"CYRILLICEXTENDED-A":                      101,
	"CYRILLICEXTENDED-B":                      124,
	"CYRILLICEXTENDED-C":                      62,
	"CYRILLICSUPPLEMENT":                      9,
	"CYRILLICSUPPLEMENTARY":                   9,
	"CYRILLIC_EXTENDED_A":                     101,
	"CYRILLIC_EXTENDED_B":                     124,
	"CYRILLIC_EXTENDED_C":                     62,
	"CYRILLIC_SUPPLEMENTARY":                  9,
	"DESERET":                                 177,
	"DEVANAGARI":                              21,
	"DEVANAGARI EXTENDED":                     132,
	"DEVANAGARIEXTENDED":                      132,
	"DEVANAGARI_EXTENDED":                     132,
	"DINGBATS":                                87,
	"DIVES AKURU":                             230,
	"DIVESAKURU":                              230,
	"DIVES_AKURU":                             230,
	"DOGRA":                                   228,
	"DOMINO TILES":                            282,
	"DOMINOTILES":                             282,
	"DOMINO_TILES":                            282,
	"DUPLOYAN":                                263,
	"EARLY DYNASTIC CUNEIFORM":                244,
	"EARLYDYNASTICCUNEIFORM":                  244,
	"EARLY_DYNASTIC_CUNEIFORM":                244,
	"EGYPTIAN HIEROGLYPH FORMAT CONTROLS":     246,
	"EGYPTIAN HIEROGLYPHS":                    245,
	"EGYPTIANHIEROGLYPHFORMATCONTROLS":        246,
	"EGYPTIANHIEROGLYPHS":                     245,
	"EGYPTIAN_HIEROGLYPHS":                    245,
	"EGYPTIAN_HIEROGLYPH_FORMAT_CONTROLS":     246,
	"ELBASAN":                                 181,
	"ELYMAIC":                                 209,
	"EMOTICONS":                               287,
	"ENCLOSED ALPHANUMERIC SUPPLEMENT":        284,
	"ENCLOSED ALPHANUMERICS":                  82,
	"ENCLOSED CJK LETTERS AND MONTHS":         115,
	"ENCLOSED IDEOGRAPHIC SUPPLEMENT":         285,
	"ENCLOSEDALPHANUMERICS":                   82,
	"ENCLOSEDALPHANUMERICSUPPLEMENT":          284,
	"ENCLOSEDCJKLETTERSANDMONTHS":             115,
	"ENCLOSEDIDEOGRAPHICSUPPLEMENT":           285,
	"ENCLOSED_ALPHANUMERICS":                  82,
	"ENCLOSED_ALPHANUMERIC_SUPPLEMENT":        284,
	"ENCLOSED_CJK_LETTERS_AND_MONTHS":         115,
	"ENCLOSED_IDEOGRAPHIC_SUPPLEMENT":         285,
	"ETHIOPIC":                                37,
	"ETHIOPIC EXTENDED":                       100,
	"ETHIOPIC EXTENDED-A":                     142,
	"ETHIOPIC SUPPLEMENT":                     38,
	"ETHIOPICEXTENDED":                        100,
	"ETHIOPICEXTENDED-A":                      142,
	"ETHIOPICSUPPLEMENT":                      38,
	"ETHIOPIC_EXTENDED":                       100,
	"ETHIOPIC_EXTENDED_A":                     142,
	"ETHIOPIC_SUPPLEMENT":                     38,
	"GENERAL PUNCTUATION":                     71,
	"GENERALPUNCTUATION":                      71,
	"GENERAL_PUNCTUATION":                     71,
	"GEOMETRIC SHAPES":                        85,
	"GEOMETRIC SHAPES EXTENDED":               291,
	"GEOMETRICSHAPES":                         85,
	"GEOMETRICSHAPESEXTENDED":                 291,
	"GEOMETRIC_SHAPES":                        85,
	"GEOMETRIC_SHAPES_EXTENDED":               291,
	"GEORGIAN":                                35,
	"GEORGIAN EXTENDED":                       63,
	"GEORGIAN SUPPLEMENT":                     98,
	"GEORGIANEXTENDED":                        63,
	"GEORGIANSUPPLEMENT":                      98,
	"GEORGIAN_EXTENDED":                       63,
	"GEORGIAN_SUPPLEMENT":                     98,
	"GLAGOLITIC":                              95,
	"GLAGOLITIC SUPPLEMENT":                   273,
	"GLAGOLITICSUPPLEMENT":                    273,
	"GLAGOLITIC_SUPPLEMENT":                   273,
	"GOTHIC":                                  173,
	"GRANTHA":                                 220,
	"GREEK":                                   7,
	"GREEK AND COPTIC":                        7,
	"GREEK EXTENDED":                          70,
	"GREEKANDCOPTIC":                          7,
	"GREEKEXTENDED":                           70,
	"GREEK_EXTENDED":                          70,
	"GUJARATI":                                24,
	"GUNJALA GONDI":                           238,
	"GUNJALAGONDI":                            238,
	"GUNJALA_GONDI":                           238,
	"GURMUKHI":                                23,
	"HALFWIDTH AND FULLWIDTH FORMS":           161,
	"HALFWIDTHANDFULLWIDTHFORMS":              161,
	"HALFWIDTH_AND_FULLWIDTH_FORMS":           161,
	"HANGUL COMPATIBILITY JAMO":               110,
	"HANGUL JAMO":                             36,
	"HANGUL JAMO EXTENDED-A":                  135,
	"HANGUL JAMO EXTENDED-B":                  147,
	"HANGUL SYLLABLES":                        146,
	"HANGULCOMPATIBILITYJAMO":                 110,
	"HANGULJAMO":                              36,
	"HANGULJAMOEXTENDED-A":                    135,
	"HANGULJAMOEXTENDED-B":                    147,
	"HANGULSYLLABLES":                         146,
	"HANGUL_COMPATIBILITY_JAMO":               110,
	"HANGUL_JAMO":                             36,
	"HANGUL_JAMO_EXTENDED_A":                  135,
	"HANGUL_JAMO_EXTENDED_B":                  147,
	"HANGUL_SYLLABLES":                        146,
	"HANIFI ROHINGYA":                         203,
	"HANIFIROHINGYA":                          203,
	"HANIFI_ROHINGYA":                         203,
	"HANUNOO":                                 44,
	"HATRAN":                                  188,
	"HEBREW":                                  11,
	"HIGH PRIVATE USE SURROGATES":             149,
	"HIGH SURROGATES":                         148,
	"HIGHPRIVATEUSESURROGATES":                149,
	"HIGHSURROGATES":                          148,
	"HIGH_PRIVATE_USE_SURROGATES":             149,
	"HIGH_SURROGATES":                         148,
	"HIRAGANA":                                107,
	"IDEOGRAPHIC DESCRIPTION CHARACTERS":      105,
	"IDEOGRAPHIC SYMBOLS AND PUNCTUATION":     254,
	"IDEOGRAPHICDESCRIPTIONCHARACTERS":        105,
	"IDEOGRAPHICSYMBOLSANDPUNCTUATION":        254,
	"IDEOGRAPHIC_DESCRIPTION_CHARACTERS":      105,
	"IDEOGRAPHIC_SYMBOLS_AND_PUNCTUATION":     254,
	"IMPERIAL ARAMAIC":                        185,
	"IMPERIALARAMAIC":                         185,
	"IMPERIAL_ARAMAIC":                        185,
	"INDIC SIYAQ NUMBERS":                     278,
	"INDICSIYAQNUMBERS":                       278,
	"INDIC_SIYAQ_NUMBERS":                     278,
	"INSCRIPTIONAL PAHLAVI":                   199,
	"INSCRIPTIONAL PARTHIAN":                  198,
	"INSCRIPTIONALPAHLAVI":                    199,
	"INSCRIPTIONALPARTHIAN":                   198,
	"INSCRIPTIONAL_PAHLAVI":                   199,
	"INSCRIPTIONAL_PARTHIAN":                  198,
	"IPA EXTENSIONS":                          4,
	"IPAEXTENSIONS":                           4,
	"IPA_EXTENSIONS":                          4,
	"JAVANESE":                                136,
	"KAITHI":                                  211,
	"KANA EXTENDED-A":                         260,
	"KANA SUPPLEMENT":                         259,
	"KANAEXTENDED-A":                          260,
	"KANASUPPLEMENT":                          259,
	"KANA_EXTENDED_A":                         260,
	"KANA_SUPPLEMENT":                         259,
	"KANBUN":                                  111,
	"KANGXI RADICALS":                         104,
	"KANGXIRADICALS":                          104,
	"KANGXI_RADICALS":                         104,
	"KANNADA":                                 28,
	"KATAKANA":                                108,
	"KATAKANA PHONETIC EXTENSIONS":            114,
	"KATAKANAPHONETICEXTENSIONS":              114,
	"KATAKANA_PHONETIC_EXTENSIONS":            114,
	"KAYAH LI":                                133,
	"KAYAHLI":                                 133,
	"KAYAH_LI":                                133,
	"KHAROSHTHI":                              193,
	"KHITAN SMALL SCRIPT":                     257,
	"KHITANSMALLSCRIPT":                       257,
	"KHITAN_SMALL_SCRIPT":                     257,
	"KHMER":                                   47,
	"KHMER SYMBOLS":                           53,
	"KHMERSYMBOLS":                            53,
	"KHMER_SYMBOLS":                           53,
	"KHOJKI":                                  217,
	"KHUDAWADI":                               219,
	"LAO":                                     32,
	"LATIN EXTENDED ADDITIONAL":               69,
	"LATIN EXTENDED-A":                        2,
	"LATIN EXTENDED-B":                        3,
	"LATIN EXTENDED-C":                        96,
	"LATIN EXTENDED-D":                        127,
	"LATIN EXTENDED-E":                        143,
	"LATIN-1 SUPPLEMENT":                      1,
	"LATIN-1SUPPLEMENT":                       1,
	"LATINEXTENDED-A":                         2,
	"LATINEXTENDED-B":                         3,
	"LATINEXTENDED-C":                         96,
	"LATINEXTENDED-D":                         127,
	"LATINEXTENDED-E":                         143,
	"LATINEXTENDEDADDITIONAL":                 69,
	"LATIN_1_SUPPLEMENT":                      1,
	"LATIN_EXTENDED_A":                        2,
	"LATIN_EXTENDED_ADDITIONAL":               69,
	"LATIN_EXTENDED_B":                        3,
	"LATIN_EXTENDED_C":                        96,
	"LATIN_EXTENDED_D":                        127,
	"LATIN_EXTENDED_E":                        143,
	"LEPCHA":                                  60,
	"LETTERLIKE SYMBOLS":                      75,
	"LETTERLIKESYMBOLS":                       75,
	"LETTERLIKE_SYMBOLS":                      75,
	"LIMBU":                                   50,
	"LINEAR A":                                183,
	"LINEAR B IDEOGRAMS":                      164,
	"LINEAR B SYLLABARY":                      163,
	"LINEARA":                                 183,
	"LINEARBIDEOGRAMS":                        164,
	"LINEARBSYLLABARY":                        163,
	"LINEAR_A":                                183,
	"LINEAR_B_IDEOGRAMS":                      164,
	"LINEAR_B_SYLLABARY":                      163,
	"LISU":                                    122,
	"LISU SUPPLEMENT":                         240,
	"LISUSUPPLEMENT":                          240,
	"LISU_SUPPLEMENT":                         240,
	"LOW SURROGATES":                          150,
	"LOWSURROGATES":                           150,
	"LOW_SURROGATES":                          150,
	"LYCIAN":                                  169,
	"LYDIAN":                                  190,
	"MAHAJANI":                                214,
	"MAHJONG TILES":                           281,
	"MAHJONGTILES":                            281,
	"MAHJONG_TILES":                           281,
	"MAKASAR":                                 239,
	"MALAYALAM":                               29,
	"MANDAIC":                                 18,
	"MANICHAEAN":                              196,
	"MARCHEN":                                 236,
	"MASARAM GONDI":                           237,
	"MASARAMGONDI":                            237,
	"MASARAM_GONDI":                           237,
	"MATHEMATICAL ALPHANUMERIC SYMBOLS":       271,
	"MATHEMATICAL OPERATORS":                  78,
	"MATHEMATICALALPHANUMERICSYMBOLS":         271,
	"MATHEMATICALOPERATORS":                   78,
	"MATHEMATICAL_ALPHANUMERIC_SYMBOLS":       271,
	"MATHEMATICAL_OPERATORS":                  78,
	"MAYAN NUMERALS":                          268,
	"MAYANNUMERALS":                           268,
	"MAYAN_NUMERALS":                          268,
	"MEDEFAIDRIN":                             252,
	"MEETEI MAYEK":                            145,
	"MEETEI MAYEK EXTENSIONS":                 141,
	"MEETEIMAYEK":                             145,
	"MEETEIMAYEKEXTENSIONS":                   141,
	"MEETEI_MAYEK":                            145,
	"MEETEI_MAYEK_EXTENSIONS":                 141,
	"MENDE KIKAKUI":                           276,
	"MENDEKIKAKUI":                            276,
	"MENDE_KIKAKUI":                           276,
	"MEROITIC CURSIVE":                        192,
	"MEROITIC HIEROGLYPHS":                    191,
	"MEROITICCURSIVE":                         192,
	"MEROITICHIEROGLYPHS":                     191,
	"MEROITIC_CURSIVE":                        192,
	"MEROITIC_HIEROGLYPHS":                    191,
	"MIAO":                                    253,
	"MISCELLANEOUS MATHEMATICAL SYMBOLS-A":    88,
	"MISCELLANEOUS MATHEMATICAL SYMBOLS-B":    92,
	"MISCELLANEOUS SYMBOLS":                   86,
	"MISCELLANEOUS SYMBOLS AND ARROWS":        94,
	"MISCELLANEOUS SYMBOLS AND PICTOGRAPHS":   286,
	"MISCELLANEOUS TECHNICAL":                 79,
	"MISCELLANEOUSMATHEMATICALSYMBOLS-A":      88,
	"MISCELLANEOUSMATHEMATICALSYMBOLS-B":      92,
	"MISCELLANEOUSSYMBOLS":                    86,
	"MISCELLANEOUSSYMBOLSANDARROWS":           94,
	"MISCELLANEOUSSYMBOLSANDPICTOGRAPHS":      286,
	"MISCELLANEOUSTECHNICAL":                  79,
	"MISCELLANEOUS_MATHEMATICAL_SYMBOLS_A":    88,
	"MISCELLANEOUS_MATHEMATICAL_SYMBOLS_B":    92,
	"MISCELLANEOUS_SYMBOLS":                   86,
	"MISCELLANEOUS_SYMBOLS_AND_ARROWS":        94,
	"MISCELLANEOUS_SYMBOLS_AND_PICTOGRAPHS":   286,
	"MISCELLANEOUS_TECHNICAL":                 79,
	"MODI":                                    224,
	"MODIFIER TONE LETTERS":                   126,
	"MODIFIERTONELETTERS":                     126,
	"MODIFIER_TONE_LETTERS":                   126,
	"MONGOLIAN":                               48,
	"MONGOLIAN SUPPLEMENT":                    225,
	"MONGOLIANSUPPLEMENT":                     225,
	"MONGOLIAN_SUPPLEMENT":                    225,
	"MRO":                                     249,
	"MULTANI":                                 218,
	"MUSICAL SYMBOLS":                         266,
	"MUSICALSYMBOLS":                          266,
	"MUSICAL_SYMBOLS":                         266,
	"MYANMAR":                                 34,
	"MYANMAR EXTENDED-A":                      139,
	"MYANMAR EXTENDED-B":                      137,
	"MYANMAREXTENDED-A":                       139,
	"MYANMAREXTENDED-B":                       137,
	"MYANMAR_EXTENDED_A":                      139,
	"MYANMAR_EXTENDED_B":                      137,
	"NABATAEAN":                               187,
	"NANDINAGARI":                             231,
	"NEW TAI LUE":                             52,
	"NEWA":                                    221,
	"NEWTAILUE":                               52,
	"NEW_TAI_LUE":                             52,
	"NKO":                                     16,
	"NUMBER FORMS":                            76,
	"NUMBERFORMS":                             76,
	"NUMBER_FORMS":                            76,
	"NUSHU":                                   262,
	"NYIAKENG PUACHUE HMONG":                  274,
	"NYIAKENGPUACHUEHMONG":                    274,
	"NYIAKENG_PUACHUE_HMONG":                  274,
	"OGHAM":                                   41,
	"OL CHIKI":                                61,
	"OLCHIKI":                                 61,
	"OLD HUNGARIAN":                           202,
	"OLD ITALIC":                              172,
	"OLD NORTH ARABIAN":                       195,
	"OLD PERMIC":                              174,
	"OLD PERSIAN":                             176,
	"OLD SOGDIAN":                             206,
	"OLD SOUTH ARABIAN":                       194,
	"OLD TURKIC":                              201,
	"OLDHUNGARIAN":                            202,
	"OLDITALIC":                               172,
	"OLDNORTHARABIAN":                         195,
	"OLDPERMIC":                               174,
	"OLDPERSIAN":                              176,
	"OLDSOGDIAN":                              206,
	"OLDSOUTHARABIAN":                         194,
	"OLDTURKIC":                               201,
	"OLD_HUNGARIAN":                           202,
	"OLD_ITALIC":                              172,
	"OLD_NORTH_ARABIAN":                       195,
	"OLD_PERMIC":                              174,
	"OLD_PERSIAN":                             176,
	"OLD_SOGDIAN":                             206,
	"OLD_SOUTH_ARABIAN":                       194,
	"OLD_TURKIC":                              201,
	"OL_CHIKI":                                61,
	"OPTICAL CHARACTER RECOGNITION":           81,
	"OPTICALCHARACTERRECOGNITION":             81,
	"OPTICAL_CHARACTER_RECOGNITION":           81,
	"ORIYA":                                   25,
	"ORNAMENTAL DINGBATS":                     288,
	"ORNAMENTALDINGBATS":                      288,
	"ORNAMENTAL_DINGBATS":                     288,
	"OSAGE":                                   180,
	"OSMANYA":                                 179,
	"OTTOMAN SIYAQ NUMBERS":                   279,
	"OTTOMANSIYAQNUMBERS":                     279,
	"OTTOMAN_SIYAQ_NUMBERS":                   279,
	"PAHAWH HMONG":                            251,
	"PAHAWHHMONG":                             251,
	"PAHAWH_HMONG":                            251,
	"PALMYRENE":                               186,
	"PAU CIN HAU":                             234,
	"PAUCINHAU":                               234,
	"PAU_CIN_HAU":                             234,
	"PHAGS-PA":                                130,
	"PHAGS_PA":                                130,
	"PHAISTOS DISC":                           168,
	"PHAISTOSDISC":                            168,
	"PHAISTOS_DISC":                           168,
	"PHOENICIAN":                              189,
	"PHONETIC EXTENSIONS":                     66,
	"PHONETIC EXTENSIONS SUPPLEMENT":          67,
	"PHONETICEXTENSIONS":                      66,
	"PHONETICEXTENSIONSSUPPLEMENT":            67,
	"PHONETIC_EXTENSIONS":                     66,
	"PHONETIC_EXTENSIONS_SUPPLEMENT":          67,
	"PLAYING CARDS":                           283,
	"PLAYINGCARDS":                            283,
	"PLAYING_CARDS":                           283,
	"PRIVATE USE AREA":                        151,
	"PRIVATEUSEAREA":                          151,
	"PRIVATE_USE_AREA":                        151,
	"PSALTER PAHLAVI":                         200,
	"PSALTERPAHLAVI":                          200,
	"PSALTER_PAHLAVI":                         200,
	"REJANG":                                  134,
	"RUMI NUMERAL SYMBOLS":                    204,
	"RUMINUMERALSYMBOLS":                      204,
	"RUMI_NUMERAL_SYMBOLS":                    204,
	"RUNIC":                                   42,
	"SAMARITAN":                               17,
	"SAURASHTRA":                              131,
	"SHARADA":                                 215,
	"SHAVIAN":                                 178,
	"SHORTHAND FORMAT CONTROLS":               264,
	"SHORTHANDFORMATCONTROLS":                 264,
	"SHORTHAND_FORMAT_CONTROLS":               264,
	"SIDDHAM":                                 223,
	"SINHALA":                                 30,
	"SINHALA ARCHAIC NUMBERS":                 216,
	"SINHALAARCHAICNUMBERS":                   216,
	"SINHALA_ARCHAIC_NUMBERS":                 216,
	"SMALL FORM VARIANTS":                     159,
	"SMALL KANA EXTENSION":                    261,
	"SMALLFORMVARIANTS":                       159,
	"SMALLKANAEXTENSION":                      261,
	"SMALL_FORM_VARIANTS":                     159,
	"SMALL_KANA_EXTENSION":                    261,
	"SOGDIAN":                                 207,
	"SORA SOMPENG":                            212,
	"SORASOMPENG":                             212,
	"SORA_SOMPENG":                            212,
	"SOYOMBO":                                 233,
	"SPACING MODIFIER LETTERS":                5,
	"SPACINGMODIFIERLETTERS":                  5,
	"SPACING_MODIFIER_LETTERS":                5,
	"SPECIALS":                                162,
	"SUNDANESE":                               58,
	"SUNDANESE SUPPLEMENT":                    64,
	"SUNDANESESUPPLEMENT":                     64,
	"SUNDANESE_SUPPLEMENT":                    64,
	"SUPERSCRIPTS AND SUBSCRIPTS":             72,
	"SUPERSCRIPTSANDSUBSCRIPTS":               72,
	"SUPERSCRIPTS_AND_SUBSCRIPTS":             72,
	"SUPPLEMENTAL ARROWS-A":                   89,
	"SUPPLEMENTAL ARROWS-B":                   91,
	"SUPPLEMENTAL ARROWS-C":                   292,
	"SUPPLEMENTAL MATHEMATICAL OPERATORS":     93,
	"SUPPLEMENTAL PUNCTUATION":                102,
	"SUPPLEMENTAL SYMBOLS AND PICTOGRAPHS":    293,
	"SUPPLEMENTALARROWS-A":                    89,
	"SUPPLEMENTALARROWS-B":                    91,
	"SUPPLEMENTALARROWS-C":                    292,
	"SUPPLEMENTALMATHEMATICALOPERATORS":       93,
	"SUPPLEMENTALPUNCTUATION":                 102,
	"SUPPLEMENTALSYMBOLSANDPICTOGRAPHS":       293,
	"SUPPLEMENTAL_ARROWS_A":                   89,
	"SUPPLEMENTAL_ARROWS_B":                   91,
	"SUPPLEMENTAL_ARROWS_C":                   292,
	"SUPPLEMENTAL_MATHEMATICAL_OPERATORS":     93,
	"SUPPLEMENTAL_PUNCTUATION":                102,
	"SUPPLEMENTAL_SYMBOLS_AND_PICTOGRAPHS":    293,
	"SUPPLEMENTARY PRIVATE USE AREA-A":        306,
	"SUPPLEMENTARY PRIVATE USE AREA-B":        307,
	"SUPPLEMENTARYPRIVATEUSEAREA-A":           306,
	"SUPPLEMENTARYPRIVATEUSEAREA-B":           307,
	"SUPPLEMENTARY_PRIVATE_USE_AREA_A":        306,
	"SUPPLEMENTARY_PRIVATE_USE_AREA_B":        307,
	"SURROGATES_AREA":                         308,
	"SUTTON SIGNWRITING":                      272,
	"SUTTONSIGNWRITING":                       272,
	"SUTTON_SIGNWRITING":                      272,
	"SYLOTI NAGRI":                            128,
	"SYLOTINAGRI":                             128,
	"SYLOTI_NAGRI":                            128,
	"SYMBOLS AND PICTOGRAPHS EXTENDED-A":      295,
	"SYMBOLS FOR LEGACY COMPUTING":            296,
	"SYMBOLSANDPICTOGRAPHSEXTENDED-A":         295,
	"SYMBOLSFORLEGACYCOMPUTING":               296,
	"SYMBOLS_AND_PICTOGRAPHS_EXTENDED_A":      295,
	"SYMBOLS_FOR_LEGACY_COMPUTING":            296,
	"SYRIAC":                                  13,
	"SYRIAC SUPPLEMENT":                       19,
	"SYRIACSUPPLEMENT":                        19,
	"SYRIAC_SUPPLEMENT":                       19,
	"TAGALOG":                                 43,
	"TAGBANWA":                                46,
	"TAGS":                                    304,
	"TAI LE":                                  51,
	"TAI THAM":                                55,
	"TAI VIET":                                140,
	"TAI XUAN JING SYMBOLS":                   269,
	"TAILE":                                   51,
	"TAITHAM":                                 55,
	"TAIVIET":                                 140,
	"TAIXUANJINGSYMBOLS":                      269,
	"TAI_LE":                                  51,
	"TAI_THAM":                                55,
	"TAI_VIET":                                140,
	"TAI_XUAN_JING_SYMBOLS":                   269,
	"TAKRI":                                   226,
	"TAMIL":                                   26,
	"TAMIL SUPPLEMENT":                        241,
	"TAMILSUPPLEMENT":                         241,
	"TAMIL_SUPPLEMENT":                        241,
	"TANGUT":                                  255,
	"TANGUT COMPONENTS":                       256,
	"TANGUT SUPPLEMENT":                       258,
	"TANGUTCOMPONENTS":                        256,
	"TANGUTSUPPLEMENT":                        258,
	"TANGUT_COMPONENTS":                       256,
	"TANGUT_SUPPLEMENT":                       258,
	"TELUGU":                                  27,
	"THAANA":                                  15,
	"THAI":                                    31,
	"TIBETAN":                                 33,
	"TIFINAGH":                                99,
	"TIRHUTA":                                 222,
	"TRANSPORT AND MAP SYMBOLS":               289,
	"TRANSPORTANDMAPSYMBOLS":                  289,
	"TRANSPORT_AND_MAP_SYMBOLS":               289,
	"UGARITIC":                                175,
	"UNIFIED CANADIAN ABORIGINAL SYLLABICS":   40,
	"UNIFIED CANADIAN ABORIGINAL SYLLABICS EXTENDED": 49,
	"UNIFIEDCANADIANABORIGINALSYLLABICS":             40,
	"UNIFIEDCANADIANABORIGINALSYLLABICSEXTENDED":     49,
	"UNIFIED_CANADIAN_ABORIGINAL_SYLLABICS":          40,
	"UNIFIED_CANADIAN_ABORIGINAL_SYLLABICS_EXTENDED": 49,
	"VAI":                            123,
	"VARIATION SELECTORS":            155,
	"VARIATION SELECTORS SUPPLEMENT": 305,
	"VARIATIONSELECTORS":             155,
	"VARIATIONSELECTORSSUPPLEMENT":   305,
	"VARIATION_SELECTORS":            155,
	"VARIATION_SELECTORS_SUPPLEMENT": 305,
	"VEDIC EXTENSIONS":               65,
	"VEDICEXTENSIONS":                65,
	"VEDIC_EXTENSIONS":               65,
	"VERTICAL FORMS":                 156,
	"VERTICALFORMS":                  156,
	"VERTICAL_FORMS":                 156,
	"WANCHO":                         275,
	"WARANG CITI":                    229,
	"WARANGCITI":                     229,
	"WARANG_CITI":                    229,
	"YEZIDI":                         205,
	"YI RADICALS":                    121,
	"YI SYLLABLES":                   120,
	"YIJING HEXAGRAM SYMBOLS":        118,
	"YIJINGHEXAGRAMSYMBOLS":          118,
	"YIJING_HEXAGRAM_SYMBOLS":        118,
	"YIRADICALS":                     121,
	"YISYLLABLES":                    120,
	"YI_RADICALS":                    121,
	"YI_SYLLABLES":                   120,
	"ZANABAZAR SQUARE":               232,
	"ZANABAZARSQUARE":                232,
	"ZANABAZAR_SQUARE":               232,
}

// javaBlockRanges holds each block's first and last code point (first >
// last for a block with none).
var javaBlockRanges = [...][2]rune{
	{0x0, 0x7F},          // BASIC_LATIN
	{0x80, 0xFF},         // LATIN_1_SUPPLEMENT
	{0x100, 0x17F},       // LATIN_EXTENDED_A
	{0x180, 0x24F},       // LATIN_EXTENDED_B
	{0x250, 0x2AF},       // IPA_EXTENSIONS
	{0x2B0, 0x2FF},       // SPACING_MODIFIER_LETTERS
	{0x300, 0x36F},       // COMBINING_DIACRITICAL_MARKS
	{0x370, 0x3FF},       // GREEK
	{0x400, 0x4FF},       // CYRILLIC
	{0x500, 0x52F},       // CYRILLIC_SUPPLEMENTARY
	{0x530, 0x58F},       // ARMENIAN
	{0x590, 0x5FF},       // HEBREW
	{0x600, 0x6FF},       // ARABIC
	{0x700, 0x74F},       // SYRIAC
	{0x750, 0x77F},       // ARABIC_SUPPLEMENT
	{0x780, 0x7BF},       // THAANA
	{0x7C0, 0x7FF},       // NKO
	{0x800, 0x83F},       // SAMARITAN
	{0x840, 0x85F},       // MANDAIC
	{0x860, 0x86F},       // SYRIAC_SUPPLEMENT
	{0x8A0, 0x8FF},       // ARABIC_EXTENDED_A
	{0x900, 0x97F},       // DEVANAGARI
	{0x980, 0x9FF},       // BENGALI
	{0xA00, 0xA7F},       // GURMUKHI
	{0xA80, 0xAFF},       // GUJARATI
	{0xB00, 0xB7F},       // ORIYA
	{0xB80, 0xBFF},       // TAMIL
	{0xC00, 0xC7F},       // TELUGU
	{0xC80, 0xCFF},       // KANNADA
	{0xD00, 0xD7F},       // MALAYALAM
	{0xD80, 0xDFF},       // SINHALA
	{0xE00, 0xE7F},       // THAI
	{0xE80, 0xEFF},       // LAO
	{0xF00, 0xFFF},       // TIBETAN
	{0x1000, 0x109F},     // MYANMAR
	{0x10A0, 0x10FF},     // GEORGIAN
	{0x1100, 0x11FF},     // HANGUL_JAMO
	{0x1200, 0x137F},     // ETHIOPIC
	{0x1380, 0x139F},     // ETHIOPIC_SUPPLEMENT
	{0x13A0, 0x13FF},     // CHEROKEE
	{0x1400, 0x167F},     // UNIFIED_CANADIAN_ABORIGINAL_SYLLABICS
	{0x1680, 0x169F},     // OGHAM
	{0x16A0, 0x16FF},     // RUNIC
	{0x1700, 0x171F},     // TAGALOG
	{0x1720, 0x173F},     // HANUNOO
	{0x1740, 0x175F},     // BUHID
	{0x1760, 0x177F},     // TAGBANWA
	{0x1780, 0x17FF},     // KHMER
	{0x1800, 0x18AF},     // MONGOLIAN
	{0x18B0, 0x18FF},     // UNIFIED_CANADIAN_ABORIGINAL_SYLLABICS_EXTENDED
	{0x1900, 0x194F},     // LIMBU
	{0x1950, 0x197F},     // TAI_LE
	{0x1980, 0x19DF},     // NEW_TAI_LUE
	{0x19E0, 0x19FF},     // KHMER_SYMBOLS
	{0x1A00, 0x1A1F},     // BUGINESE
	{0x1A20, 0x1AAF},     // TAI_THAM
	{0x1AB0, 0x1AFF},     // COMBINING_DIACRITICAL_MARKS_EXTENDED
	{0x1B00, 0x1B7F},     // BALINESE
	{0x1B80, 0x1BBF},     // SUNDANESE
	{0x1BC0, 0x1BFF},     // BATAK
	{0x1C00, 0x1C4F},     // LEPCHA
	{0x1C50, 0x1C7F},     // OL_CHIKI
	{0x1C80, 0x1C8F},     // CYRILLIC_EXTENDED_C
	{0x1C90, 0x1CBF},     // GEORGIAN_EXTENDED
	{0x1CC0, 0x1CCF},     // SUNDANESE_SUPPLEMENT
	{0x1CD0, 0x1CFF},     // VEDIC_EXTENSIONS
	{0x1D00, 0x1D7F},     // PHONETIC_EXTENSIONS
	{0x1D80, 0x1DBF},     // PHONETIC_EXTENSIONS_SUPPLEMENT
	{0x1DC0, 0x1DFF},     // COMBINING_DIACRITICAL_MARKS_SUPPLEMENT
	{0x1E00, 0x1EFF},     // LATIN_EXTENDED_ADDITIONAL
	{0x1F00, 0x1FFF},     // GREEK_EXTENDED
	{0x2000, 0x206F},     // GENERAL_PUNCTUATION
	{0x2070, 0x209F},     // SUPERSCRIPTS_AND_SUBSCRIPTS
	{0x20A0, 0x20CF},     // CURRENCY_SYMBOLS
	{0x20D0, 0x20FF},     // COMBINING_MARKS_FOR_SYMBOLS
	{0x2100, 0x214F},     // LETTERLIKE_SYMBOLS
	{0x2150, 0x218F},     // NUMBER_FORMS
	{0x2190, 0x21FF},     // ARROWS
	{0x2200, 0x22FF},     // MATHEMATICAL_OPERATORS
	{0x2300, 0x23FF},     // MISCELLANEOUS_TECHNICAL
	{0x2400, 0x243F},     // CONTROL_PICTURES
	{0x2440, 0x245F},     // OPTICAL_CHARACTER_RECOGNITION
	{0x2460, 0x24FF},     // ENCLOSED_ALPHANUMERICS
	{0x2500, 0x257F},     // BOX_DRAWING
	{0x2580, 0x259F},     // BLOCK_ELEMENTS
	{0x25A0, 0x25FF},     // GEOMETRIC_SHAPES
	{0x2600, 0x26FF},     // MISCELLANEOUS_SYMBOLS
	{0x2700, 0x27BF},     // DINGBATS
	{0x27C0, 0x27EF},     // MISCELLANEOUS_MATHEMATICAL_SYMBOLS_A
	{0x27F0, 0x27FF},     // SUPPLEMENTAL_ARROWS_A
	{0x2800, 0x28FF},     // BRAILLE_PATTERNS
	{0x2900, 0x297F},     // SUPPLEMENTAL_ARROWS_B
	{0x2980, 0x29FF},     // MISCELLANEOUS_MATHEMATICAL_SYMBOLS_B
	{0x2A00, 0x2AFF},     // SUPPLEMENTAL_MATHEMATICAL_OPERATORS
	{0x2B00, 0x2BFF},     // MISCELLANEOUS_SYMBOLS_AND_ARROWS
	{0x2C00, 0x2C5F},     // GLAGOLITIC
	{0x2C60, 0x2C7F},     // LATIN_EXTENDED_C
	{0x2C80, 0x2CFF},     // COPTIC
	{0x2D00, 0x2D2F},     // GEORGIAN_SUPPLEMENT
	{0x2D30, 0x2D7F},     // TIFINAGH
	{0x2D80, 0x2DDF},     // ETHIOPIC_EXTENDED
	{0x2DE0, 0x2DFF},     // CYRILLIC_EXTENDED_A
	{0x2E00, 0x2E7F},     // SUPPLEMENTAL_PUNCTUATION
	{0x2E80, 0x2EFF},     // CJK_RADICALS_SUPPLEMENT
	{0x2F00, 0x2FDF},     // KANGXI_RADICALS
	{0x2FF0, 0x2FFF},     // IDEOGRAPHIC_DESCRIPTION_CHARACTERS
	{0x3000, 0x303F},     // CJK_SYMBOLS_AND_PUNCTUATION
	{0x3040, 0x309F},     // HIRAGANA
	{0x30A0, 0x30FF},     // KATAKANA
	{0x3100, 0x312F},     // BOPOMOFO
	{0x3130, 0x318F},     // HANGUL_COMPATIBILITY_JAMO
	{0x3190, 0x319F},     // KANBUN
	{0x31A0, 0x31BF},     // BOPOMOFO_EXTENDED
	{0x31C0, 0x31EF},     // CJK_STROKES
	{0x31F0, 0x31FF},     // KATAKANA_PHONETIC_EXTENSIONS
	{0x3200, 0x32FF},     // ENCLOSED_CJK_LETTERS_AND_MONTHS
	{0x3300, 0x33FF},     // CJK_COMPATIBILITY
	{0x3400, 0x4DBF},     // CJK_UNIFIED_IDEOGRAPHS_EXTENSION_A
	{0x4DC0, 0x4DFF},     // YIJING_HEXAGRAM_SYMBOLS
	{0x4E00, 0x9FFF},     // CJK_UNIFIED_IDEOGRAPHS
	{0xA000, 0xA48F},     // YI_SYLLABLES
	{0xA490, 0xA4CF},     // YI_RADICALS
	{0xA4D0, 0xA4FF},     // LISU
	{0xA500, 0xA63F},     // VAI
	{0xA640, 0xA69F},     // CYRILLIC_EXTENDED_B
	{0xA6A0, 0xA6FF},     // BAMUM
	{0xA700, 0xA71F},     // MODIFIER_TONE_LETTERS
	{0xA720, 0xA7FF},     // LATIN_EXTENDED_D
	{0xA800, 0xA82F},     // SYLOTI_NAGRI
	{0xA830, 0xA83F},     // COMMON_INDIC_NUMBER_FORMS
	{0xA840, 0xA87F},     // PHAGS_PA
	{0xA880, 0xA8DF},     // SAURASHTRA
	{0xA8E0, 0xA8FF},     // DEVANAGARI_EXTENDED
	{0xA900, 0xA92F},     // KAYAH_LI
	{0xA930, 0xA95F},     // REJANG
	{0xA960, 0xA97F},     // HANGUL_JAMO_EXTENDED_A
	{0xA980, 0xA9DF},     // JAVANESE
	{0xA9E0, 0xA9FF},     // MYANMAR_EXTENDED_B
	{0xAA00, 0xAA5F},     // CHAM
	{0xAA60, 0xAA7F},     // MYANMAR_EXTENDED_A
	{0xAA80, 0xAADF},     // TAI_VIET
	{0xAAE0, 0xAAFF},     // MEETEI_MAYEK_EXTENSIONS
	{0xAB00, 0xAB2F},     // ETHIOPIC_EXTENDED_A
	{0xAB30, 0xAB6F},     // LATIN_EXTENDED_E
	{0xAB70, 0xABBF},     // CHEROKEE_SUPPLEMENT
	{0xABC0, 0xABFF},     // MEETEI_MAYEK
	{0xAC00, 0xD7AF},     // HANGUL_SYLLABLES
	{0xD7B0, 0xD7FF},     // HANGUL_JAMO_EXTENDED_B
	{0xD800, 0xDB7F},     // HIGH_SURROGATES
	{0xDB80, 0xDBFF},     // HIGH_PRIVATE_USE_SURROGATES
	{0xDC00, 0xDFFF},     // LOW_SURROGATES
	{0xE000, 0xF8FF},     // PRIVATE_USE_AREA
	{0xF900, 0xFAFF},     // CJK_COMPATIBILITY_IDEOGRAPHS
	{0xFB00, 0xFB4F},     // ALPHABETIC_PRESENTATION_FORMS
	{0xFB50, 0xFDFF},     // ARABIC_PRESENTATION_FORMS_A
	{0xFE00, 0xFE0F},     // VARIATION_SELECTORS
	{0xFE10, 0xFE1F},     // VERTICAL_FORMS
	{0xFE20, 0xFE2F},     // COMBINING_HALF_MARKS
	{0xFE30, 0xFE4F},     // CJK_COMPATIBILITY_FORMS
	{0xFE50, 0xFE6F},     // SMALL_FORM_VARIANTS
	{0xFE70, 0xFEFF},     // ARABIC_PRESENTATION_FORMS_B
	{0xFF00, 0xFFEF},     // HALFWIDTH_AND_FULLWIDTH_FORMS
	{0xFFF0, 0xFFFF},     // SPECIALS
	{0x10000, 0x1007F},   // LINEAR_B_SYLLABARY
	{0x10080, 0x100FF},   // LINEAR_B_IDEOGRAMS
	{0x10100, 0x1013F},   // AEGEAN_NUMBERS
	{0x10140, 0x1018F},   // ANCIENT_GREEK_NUMBERS
	{0x10190, 0x101CF},   // ANCIENT_SYMBOLS
	{0x101D0, 0x101FF},   // PHAISTOS_DISC
	{0x10280, 0x1029F},   // LYCIAN
	{0x102A0, 0x102DF},   // CARIAN
	{0x102E0, 0x102FF},   // COPTIC_EPACT_NUMBERS
	{0x10300, 0x1032F},   // OLD_ITALIC
	{0x10330, 0x1034F},   // GOTHIC
	{0x10350, 0x1037F},   // OLD_PERMIC
	{0x10380, 0x1039F},   // UGARITIC
	{0x103A0, 0x103DF},   // OLD_PERSIAN
	{0x10400, 0x1044F},   // DESERET
	{0x10450, 0x1047F},   // SHAVIAN
	{0x10480, 0x104AF},   // OSMANYA
	{0x104B0, 0x104FF},   // OSAGE
	{0x10500, 0x1052F},   // ELBASAN
	{0x10530, 0x1056F},   // CAUCASIAN_ALBANIAN
	{0x10600, 0x1077F},   // LINEAR_A
	{0x10800, 0x1083F},   // CYPRIOT_SYLLABARY
	{0x10840, 0x1085F},   // IMPERIAL_ARAMAIC
	{0x10860, 0x1087F},   // PALMYRENE
	{0x10880, 0x108AF},   // NABATAEAN
	{0x108E0, 0x108FF},   // HATRAN
	{0x10900, 0x1091F},   // PHOENICIAN
	{0x10920, 0x1093F},   // LYDIAN
	{0x10980, 0x1099F},   // MEROITIC_HIEROGLYPHS
	{0x109A0, 0x109FF},   // MEROITIC_CURSIVE
	{0x10A00, 0x10A5F},   // KHAROSHTHI
	{0x10A60, 0x10A7F},   // OLD_SOUTH_ARABIAN
	{0x10A80, 0x10A9F},   // OLD_NORTH_ARABIAN
	{0x10AC0, 0x10AFF},   // MANICHAEAN
	{0x10B00, 0x10B3F},   // AVESTAN
	{0x10B40, 0x10B5F},   // INSCRIPTIONAL_PARTHIAN
	{0x10B60, 0x10B7F},   // INSCRIPTIONAL_PAHLAVI
	{0x10B80, 0x10BAF},   // PSALTER_PAHLAVI
	{0x10C00, 0x10C4F},   // OLD_TURKIC
	{0x10C80, 0x10CFF},   // OLD_HUNGARIAN
	{0x10D00, 0x10D3F},   // HANIFI_ROHINGYA
	{0x10E60, 0x10E7F},   // RUMI_NUMERAL_SYMBOLS
	{0x10E80, 0x10EBF},   // YEZIDI
	{0x10F00, 0x10F2F},   // OLD_SOGDIAN
	{0x10F30, 0x10F6F},   // SOGDIAN
	{0x10FB0, 0x10FDF},   // CHORASMIAN
	{0x10FE0, 0x10FFF},   // ELYMAIC
	{0x11000, 0x1107F},   // BRAHMI
	{0x11080, 0x110CF},   // KAITHI
	{0x110D0, 0x110FF},   // SORA_SOMPENG
	{0x11100, 0x1114F},   // CHAKMA
	{0x11150, 0x1117F},   // MAHAJANI
	{0x11180, 0x111DF},   // SHARADA
	{0x111E0, 0x111FF},   // SINHALA_ARCHAIC_NUMBERS
	{0x11200, 0x1124F},   // KHOJKI
	{0x11280, 0x112AF},   // MULTANI
	{0x112B0, 0x112FF},   // KHUDAWADI
	{0x11300, 0x1137F},   // GRANTHA
	{0x11400, 0x1147F},   // NEWA
	{0x11480, 0x114DF},   // TIRHUTA
	{0x11580, 0x115FF},   // SIDDHAM
	{0x11600, 0x1165F},   // MODI
	{0x11660, 0x1167F},   // MONGOLIAN_SUPPLEMENT
	{0x11680, 0x116CF},   // TAKRI
	{0x11700, 0x1173F},   // AHOM
	{0x11800, 0x1184F},   // DOGRA
	{0x118A0, 0x118FF},   // WARANG_CITI
	{0x11900, 0x1195F},   // DIVES_AKURU
	{0x119A0, 0x119FF},   // NANDINAGARI
	{0x11A00, 0x11A4F},   // ZANABAZAR_SQUARE
	{0x11A50, 0x11AAF},   // SOYOMBO
	{0x11AC0, 0x11AFF},   // PAU_CIN_HAU
	{0x11C00, 0x11C6F},   // BHAIKSUKI
	{0x11C70, 0x11CBF},   // MARCHEN
	{0x11D00, 0x11D5F},   // MASARAM_GONDI
	{0x11D60, 0x11DAF},   // GUNJALA_GONDI
	{0x11EE0, 0x11EFF},   // MAKASAR
	{0x11FB0, 0x11FBF},   // LISU_SUPPLEMENT
	{0x11FC0, 0x11FFF},   // TAMIL_SUPPLEMENT
	{0x12000, 0x123FF},   // CUNEIFORM
	{0x12400, 0x1247F},   // CUNEIFORM_NUMBERS_AND_PUNCTUATION
	{0x12480, 0x1254F},   // EARLY_DYNASTIC_CUNEIFORM
	{0x13000, 0x1342F},   // EGYPTIAN_HIEROGLYPHS
	{0x13430, 0x1343F},   // EGYPTIAN_HIEROGLYPH_FORMAT_CONTROLS
	{0x14400, 0x1467F},   // ANATOLIAN_HIEROGLYPHS
	{0x16800, 0x16A3F},   // BAMUM_SUPPLEMENT
	{0x16A40, 0x16A6F},   // MRO
	{0x16AD0, 0x16AFF},   // BASSA_VAH
	{0x16B00, 0x16B8F},   // PAHAWH_HMONG
	{0x16E40, 0x16E9F},   // MEDEFAIDRIN
	{0x16F00, 0x16F9F},   // MIAO
	{0x16FE0, 0x16FFF},   // IDEOGRAPHIC_SYMBOLS_AND_PUNCTUATION
	{0x17000, 0x187FF},   // TANGUT
	{0x18800, 0x18AFF},   // TANGUT_COMPONENTS
	{0x18B00, 0x18CFF},   // KHITAN_SMALL_SCRIPT
	{0x18D00, 0x18D8F},   // TANGUT_SUPPLEMENT
	{0x1B000, 0x1B0FF},   // KANA_SUPPLEMENT
	{0x1B100, 0x1B12F},   // KANA_EXTENDED_A
	{0x1B130, 0x1B16F},   // SMALL_KANA_EXTENSION
	{0x1B170, 0x1B2FF},   // NUSHU
	{0x1BC00, 0x1BC9F},   // DUPLOYAN
	{0x1BCA0, 0x1BCAF},   // SHORTHAND_FORMAT_CONTROLS
	{0x1D000, 0x1D0FF},   // BYZANTINE_MUSICAL_SYMBOLS
	{0x1D100, 0x1D1FF},   // MUSICAL_SYMBOLS
	{0x1D200, 0x1D24F},   // ANCIENT_GREEK_MUSICAL_NOTATION
	{0x1D2E0, 0x1D2FF},   // MAYAN_NUMERALS
	{0x1D300, 0x1D35F},   // TAI_XUAN_JING_SYMBOLS
	{0x1D360, 0x1D37F},   // COUNTING_ROD_NUMERALS
	{0x1D400, 0x1D7FF},   // MATHEMATICAL_ALPHANUMERIC_SYMBOLS
	{0x1D800, 0x1DAAF},   // SUTTON_SIGNWRITING
	{0x1E000, 0x1E02F},   // GLAGOLITIC_SUPPLEMENT
	{0x1E100, 0x1E14F},   // NYIAKENG_PUACHUE_HMONG
	{0x1E2C0, 0x1E2FF},   // WANCHO
	{0x1E800, 0x1E8DF},   // MENDE_KIKAKUI
	{0x1E900, 0x1E95F},   // ADLAM
	{0x1EC70, 0x1ECBF},   // INDIC_SIYAQ_NUMBERS
	{0x1ED00, 0x1ED4F},   // OTTOMAN_SIYAQ_NUMBERS
	{0x1EE00, 0x1EEFF},   // ARABIC_MATHEMATICAL_ALPHABETIC_SYMBOLS
	{0x1F000, 0x1F02F},   // MAHJONG_TILES
	{0x1F030, 0x1F09F},   // DOMINO_TILES
	{0x1F0A0, 0x1F0FF},   // PLAYING_CARDS
	{0x1F100, 0x1F1FF},   // ENCLOSED_ALPHANUMERIC_SUPPLEMENT
	{0x1F200, 0x1F2FF},   // ENCLOSED_IDEOGRAPHIC_SUPPLEMENT
	{0x1F300, 0x1F5FF},   // MISCELLANEOUS_SYMBOLS_AND_PICTOGRAPHS
	{0x1F600, 0x1F64F},   // EMOTICONS
	{0x1F650, 0x1F67F},   // ORNAMENTAL_DINGBATS
	{0x1F680, 0x1F6FF},   // TRANSPORT_AND_MAP_SYMBOLS
	{0x1F700, 0x1F77F},   // ALCHEMICAL_SYMBOLS
	{0x1F780, 0x1F7FF},   // GEOMETRIC_SHAPES_EXTENDED
	{0x1F800, 0x1F8FF},   // SUPPLEMENTAL_ARROWS_C
	{0x1F900, 0x1F9FF},   // SUPPLEMENTAL_SYMBOLS_AND_PICTOGRAPHS
	{0x1FA00, 0x1FA6F},   // CHESS_SYMBOLS
	{0x1FA70, 0x1FAFF},   // SYMBOLS_AND_PICTOGRAPHS_EXTENDED_A
	{0x1FB00, 0x1FBFF},   // SYMBOLS_FOR_LEGACY_COMPUTING
	{0x20000, 0x2A6DF},   // CJK_UNIFIED_IDEOGRAPHS_EXTENSION_B
	{0x2A700, 0x2B73F},   // CJK_UNIFIED_IDEOGRAPHS_EXTENSION_C
	{0x2B740, 0x2B81F},   // CJK_UNIFIED_IDEOGRAPHS_EXTENSION_D
	{0x2B820, 0x2CEAF},   // CJK_UNIFIED_IDEOGRAPHS_EXTENSION_E
	{0x2CEB0, 0x2EBEF},   // CJK_UNIFIED_IDEOGRAPHS_EXTENSION_F
	{0x2F800, 0x2FA1F},   // CJK_COMPATIBILITY_IDEOGRAPHS_SUPPLEMENT
	{0x30000, 0x3134F},   // CJK_UNIFIED_IDEOGRAPHS_EXTENSION_G
	{0xE0000, 0xE007F},   // TAGS
	{0xE0100, 0xE01EF},   // VARIATION_SELECTORS_SUPPLEMENT
	{0xF0000, 0xFFFFF},   // SUPPLEMENTARY_PRIVATE_USE_AREA_A
	{0x100000, 0x10FFFF}, // SUPPLEMENTARY_PRIVATE_USE_AREA_B
	{0x1, 0x0},           // SURROGATES_AREA (no code points)
}
