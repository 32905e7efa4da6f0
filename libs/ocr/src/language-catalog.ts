/**
 * Tesseract language models: code | OCR.chat / ISO 639-1 code ('' when none) | English name | script.
 * OCR.chat's own codes differ from ISO in a few places ('ch' for Simplified Chinese); both are accepted.
 */
const TABLE = `
afr|af|Afrikaans|Latin
amh|am|Amharic|Ethiopic
ara|ar|Arabic|Arabic
asm|as|Assamese|Bengali
aze|az|Azerbaijani|Latin
aze_cyrl||Azerbaijani (Cyrillic)|Cyrillic
bel|be|Belarusian|Cyrillic
ben|bn|Bengali|Bengali
bod|bo|Tibetan|Tibetan
bos|bs|Bosnian|Latin
bre|br|Breton|Latin
bul|bg|Bulgarian|Cyrillic
cat|ca|Catalan|Latin
ceb||Cebuano|Latin
ces|cs|Czech|Latin
chi_sim|ch|Chinese (Simplified)|Han
chi_sim_vert||Chinese (Simplified, vertical)|Han
chi_tra|chinese_cht|Chinese (Traditional)|Han
chi_tra_vert||Chinese (Traditional, vertical)|Han
chr||Cherokee|Cherokee
cos|co|Corsican|Latin
cym|cy|Welsh|Latin
dan|da|Danish|Latin
deu|de|German|Latin
div|dv|Dhivehi|Thaana
dzo|dz|Dzongkha|Tibetan
ell|el|Greek|Greek
eng|en|English|Latin
enm||English (Middle)|Latin
epo|eo|Esperanto|Latin
est|et|Estonian|Latin
eus|eu|Basque|Latin
fao|fo|Faroese|Latin
fas|fa|Persian|Arabic
fil|tl|Filipino|Latin
fin|fi|Finnish|Latin
fra|fr|French|Latin
frk||German (Fraktur)|Latin
frm||French (Middle)|Latin
fry|fy|Western Frisian|Latin
gla|gd|Scottish Gaelic|Latin
gle|ga|Irish|Latin
glg|gl|Galician|Latin
grc||Greek (Ancient)|Greek
guj|gu|Gujarati|Gujarati
hat|ht|Haitian Creole|Latin
heb|he|Hebrew|Hebrew
hin|hi|Hindi|Devanagari
hrv|hr|Croatian|Latin
hun|hu|Hungarian|Latin
hye|hy|Armenian|Armenian
iku|iu|Inuktitut|Canadian_Aboriginal
ind|id|Indonesian|Latin
isl|is|Icelandic|Latin
ita|it|Italian|Latin
ita_old||Italian (Old)|Latin
jav|jv|Javanese|Latin
jpn|ja|Japanese|Japanese
jpn_vert||Japanese (vertical)|Japanese
kan|kn|Kannada|Kannada
kat|ka|Georgian|Georgian
kat_old||Georgian (Old)|Georgian
kaz|kk|Kazakh|Cyrillic
khm|km|Khmer|Khmer
kir|ky|Kyrgyz|Cyrillic
kmr|ku|Kurmanji (Kurdish)|Latin
kor|ko|Korean|Hangul
kor_vert||Korean (vertical)|Hangul
lao|lo|Lao|Lao
lat|la|Latin|Latin
lav|lv|Latvian|Latin
lit|lt|Lithuanian|Latin
ltz|lb|Luxembourgish|Latin
mal|ml|Malayalam|Malayalam
mar|mr|Marathi|Devanagari
mkd|mk|Macedonian|Cyrillic
mlt|mt|Maltese|Latin
mon|mn|Mongolian|Cyrillic
mri|mi|Maori|Latin
msa|ms|Malay|Latin
mya|my|Burmese|Myanmar
nep|ne|Nepali|Devanagari
nld|nl|Dutch|Latin
nor|no|Norwegian|Latin
oci|oc|Occitan|Latin
ori|or|Odia|Oriya
pan|pa|Punjabi|Gurmukhi
pol|pl|Polish|Latin
por|pt|Portuguese|Latin
pus|ps|Pashto|Arabic
que|qu|Quechua|Latin
ron|ro|Romanian|Latin
rus|ru|Russian|Cyrillic
san|sa|Sanskrit|Devanagari
sin|si|Sinhala|Sinhala
slk|sk|Slovak|Latin
slv|sl|Slovenian|Latin
snd|sd|Sindhi|Arabic
spa|es|Spanish|Latin
spa_old||Spanish (Old)|Latin
sqi|sq|Albanian|Latin
srp|sr|Serbian|Cyrillic
srp_latn|rs_latin|Serbian (Latin)|Latin
sun|su|Sundanese|Latin
swa|sw|Swahili|Latin
swe|sv|Swedish|Latin
syr||Syriac|Syriac
tam|ta|Tamil|Tamil
tat|tt|Tatar|Cyrillic
tel|te|Telugu|Telugu
tgk|tg|Tajik|Cyrillic
tha|th|Thai|Thai
tir|ti|Tigrinya|Ethiopic
ton|to|Tongan|Latin
tur|tr|Turkish|Latin
uig|ug|Uyghur|Arabic
ukr|uk|Ukrainian|Cyrillic
urd|ur|Urdu|Arabic
uzb|uz|Uzbek|Latin
uzb_cyrl||Uzbek (Cyrillic)|Cyrillic
vie|vi|Vietnamese|Latin
yid|yi|Yiddish|Hebrew
yor|yo|Yoruba|Latin
`;

/** Other names clients use for the same models (OCR.chat, ISO 639-1 variants, BCP 47). */
export const LANGUAGE_ALIASES: Readonly<Record<string, string>> = {
  zh: 'chi_sim',
  'zh-cn': 'chi_sim',
  'zh-hans': 'chi_sim',
  ch_sim: 'chi_sim',
  'zh-tw': 'chi_tra',
  'zh-hant': 'chi_tra',
  ch_tra: 'chi_tra',
  cht: 'chi_tra',
  japan: 'jpn',
  korean: 'kor',
  nb: 'nor',
  nn: 'nor',
  iw: 'heb',
  in: 'ind',
  fil: 'fil',
};

export interface CatalogEntry {
  tesseract: string;
  code: string;
  name: string;
  script: string;
}

export const LANGUAGE_CATALOG: readonly CatalogEntry[] = TABLE.trim()
  .split('\n')
  .map((row) => {
    const [tesseract = '', code = '', name = '', script = ''] = row.split('|');
    return { tesseract, code: code || tesseract, name, script };
  });
