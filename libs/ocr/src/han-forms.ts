/**
 * Common characters whose traditional and simplified forms differ, as pairs (traditional, then
 * simplified): a reading in which one form of many of them appears, and the other of few, was of a
 * page written in that form.
 */
const PAIRS =
  '們们來来為为國国會会這这個个說说時时對对於于與与學学發发經经動动實实現现關关點点體体應应問问還还進进機机樣样開开當当種种長长從从認认權权義义務务護护隸隶條条約约際际區区處处見见視视觀观親亲歷历選选舉举聯联員员議议論论語语讀读寫写書书業业產产藝艺術术衛卫醫医療疗勞劳費费資资財财貨货買买賣卖價价錢钱銀银鐵铁車车軍军戰战爭争門门間间聞闻陽阳陰阴雙双雖虽難难離离雲云電电風风飛飞馬马魚鱼鳥鸟麼么齊齐龍龙龜龟歲岁氣气漢汉濟济無无獨独環环畫画異异盡尽監监確确禮礼積积穩稳競竞節节簡简紀纪級级組组結结給给統统維维網网緊紧線线總总織织繼继續续罰罚職职聲声腦脑興兴舊旧華华萬万蓋盖藥药號号眾众補补製制複复規规覺觉計计訂订記记設设許许訴诉證证評评詞词試试話话誠诚調调談谈請请諸诸謂谓變变讓让負负責责貴贵賴赖質质輕轻較较載载輪轮辦办農农達达運运過过遠远適适遺遗邊边鄉乡鄰邻釋释錄录陳陈陸陆隊队階阶隨随險险雜杂須须頭头題题額额顏颜願愿類类顯显養养館馆驗验髮发黨党齒齿';

const TRADITIONAL = new Set<string>();
const SIMPLIFIED = new Set<string>();
[...PAIRS].forEach((ch, i) => (i % 2 === 0 ? TRADITIONAL : SIMPLIFIED).add(ch));

/** How many of a text's characters are the traditional form of a pair, and how many the simplified. */
export function hanForms(text: string): { traditional: number; simplified: number } {
  let traditional = 0;
  let simplified = 0;
  for (const ch of text) {
    if (TRADITIONAL.has(ch)) traditional++;
    else if (SIMPLIFIED.has(ch)) simplified++;
  }
  return { traditional, simplified };
}
