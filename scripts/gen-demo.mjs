#!/usr/bin/env node
// gen-demo.mjs: generates the demo expo that `boothd --demo` loads.
//
// Writes (deterministically; running it twice gives identical files):
//   server/db/demo.sql                          one DO block, embedded into boothd at build time
//   booth-assets/demo/logos/<slug>.svg       booth logos (initials on a coloured shape)
//   booth-assets/demo/banners/<slug>.svg     booth banners
//   booth-assets/demo/products/<slug>-<n>.svg  product tiles
//   booth-assets/demo/brochures/<slug>-{en,ko}.html  company brochures with the booth's text
//
// Usage: node scripts/gen-demo.mjs            (from anywhere; paths are relative to the repo)
// All companies and people are fictional. Nothing points at a made-up site: the companies have
// no website and the booths no video-call link of their own (those fields stay empty; an accepted
// meeting gets the server's generated call room, and the pages show nothing for an empty field).

import { mkdirSync, writeFileSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

// ---------------------------------------------------------------------------------------------
// The expo

const EXPO = {
  name_en: 'K-Brands Connect 2026: Korean SME Virtual Expo',
  name_ko: 'K-브랜드 커넥트 2026: 한국 중소기업 온라인 박람회',
  tagline_en: 'Meet Korean manufacturers and brands, live, from your desk in North America.',
  tagline_ko: '북미 바이어와 한국 중소기업을 잇는 온라인 수출 상담회',
  organizer_name: 'Korea-America Trade Chamber (KATC)',
  website: null,
  // Expo days in New York time; meeting windows are set per booth in the booth's zone.
  starts_at: ['2026-12-08 09:00', 'America/New_York'],
  ends_at: ['2026-12-11 00:00', 'America/New_York'],
  time_zone: 'America/New_York',
};

const CATEGORIES = [
  // slug, en, ko, hue (palette for logos), icon
  ['k-beauty', 'K-Beauty & Cosmetics', 'K-뷰티·화장품', 340, 'bottle'],
  ['food-beverage', 'Food & Beverage', '식품·음료', 20, 'bowl'],
  ['health-supplements', 'Health Supplements', '건강기능식품', 130, 'capsule'],
  ['home-living', 'Home & Living', '홈·리빙', 35, 'house'],
  ['kitchenware', 'Kitchenware', '주방용품', 0, 'pan'],
  ['fashion-accessories', 'Fashion & Accessories', '패션·잡화', 280, 'hanger'],
  ['baby-kids', 'Baby & Kids', '유아·아동', 195, 'star'],
  ['machinery-parts', 'Machinery & Parts', '기계·부품', 215, 'gear'],
  ['smart-devices', 'Electronics & Smart Devices', '전자·스마트기기', 250, 'chip'],
  ['eco-packaging', 'Eco & Packaging', '친환경·포장재', 100, 'leaf'],
];

const LOOKING_FOR = {
  'k-beauty': ['beauty distributors, retailers and online sellers', '뷰티 유통사, 리테일러, 온라인 셀러'],
  'food-beverage': ['importers, Asian grocery chains and food service buyers', '수입상, 아시안 마트 체인, 외식업 바이어'],
  'health-supplements': ['supplement distributors and pharmacy chains', '건강기능식품 유통사와 약국 체인'],
  'home-living': ['home goods retailers, gift shops and interior designers', '생활용품 리테일러, 선물 가게, 인테리어 디자이너'],
  kitchenware: ['kitchen and department store buyers', '주방용품 및 백화점 바이어'],
  'fashion-accessories': ['boutiques, department stores and fashion distributors', '편집숍, 백화점, 패션 유통사'],
  'baby-kids': ['baby product retailers and online marketplaces', '유아용품 리테일러와 온라인 마켓플레이스'],
  'machinery-parts': ['OEM manufacturers, industrial distributors and system integrators', 'OEM 제조사, 산업재 유통사, 시스템 통합 업체'],
  'smart-devices': ['electronics retailers, distributors and B2B integrators', '전자제품 리테일러, 유통사, B2B 통합 업체'],
  'eco-packaging': ['brands, food service chains and packaging distributors', '브랜드사, 외식 프랜차이즈, 포장재 유통사'],
};

const MARKETS = {
  US: ['the US', '미국'], CA: ['Canada', '캐나다'], JP: ['Japan', '일본'], CN: ['China', '중국'],
  TW: ['Taiwan', '대만'], VN: ['Vietnam', '베트남'], TH: ['Thailand', '태국'], SG: ['Singapore', '싱가포르'],
  MY: ['Malaysia', '말레이시아'], ID: ['Indonesia', '인도네시아'], AU: ['Australia', '호주'],
  DE: ['Germany', '독일'], FR: ['France', '프랑스'], UK: ['the UK', '영국'], AE: ['the UAE', '아랍에미리트'],
  MX: ['Mexico', '멕시코'], IN: ['India', '인도'], PL: ['Poland', '폴란드'], HK: ['Hong Kong', '홍콩'],
};

const CITIES = {
  Seoul: '서울', Busan: '부산', Changwon: '창원', Daegu: '대구', Incheon: '인천', Gwangju: '광주',
  Jeju: '제주', Suwon: '수원', Daejeon: '대전', Ulsan: '울산', Cheongju: '청주', Jeonju: '전주',
  Pohang: '포항', Gimhae: '김해', Ansan: '안산', Cheonan: '천안', Wonju: '원주', Gangneung: '강릉',
  Icheon: '이천', Yeoju: '여주', Mokpo: '목포', Boseong: '보성', Geumsan: '금산', Gurye: '구례',
  Tongyeong: '통영', Anseong: '안성', Yangsan: '양산', Paju: '파주', Seongnam: '성남', Gimpo: '김포',
  Hwaseong: '화성',
};

// ---------------------------------------------------------------------------------------------
// The booths. Each: slug, category, English and Korean name, city, founded, employees,
// markets, certifications, tagline [en, ko], about [en, ko], products.
// A product: [name_en, name_ko, description_en, description_ko, moq, price_note].

const BOOTHS = [
  // ---- K-Beauty ------------------------------------------------------------------------------
  {
    slug: 'haneul-cosmetics', cat: 'k-beauty', en: 'Haneul Cosmetics', ko: '하늘코스메틱', city: 'Seoul',
    founded: 2012, employees: 48, markets: ['US', 'JP', 'VN', 'SG'], certs: 'CGMP, ISO 22716, Vegan Society',
    tier: 'platinum',
    tagline: ['Clean skincare from Jeju botanicals', '제주 식물에서 찾은 클린 스킨케어'],
    about: [
      'Haneul Cosmetics formulates gentle, vegan skincare around ingredients grown on Jeju Island: green tangerine, camellia and volcanic clay. Every formula is dermatologist-tested and made in our own CGMP plant outside Seoul.',
      '하늘코스메틱은 청귤, 동백, 화산송이 등 제주에서 자란 원료로 순하고 비건한 스킨케어를 만듭니다. 모든 제품은 피부과 테스트를 마쳤으며 서울 근교의 자체 CGMP 공장에서 생산합니다.',
    ],
    products: [
      ['Green Tangerine Vitamin C Serum', '청귤 비타민C 세럼', 'A 10% vitamin C serum with Jeju green tangerine extract that brightens dull skin without stinging.', '제주 청귤 추출물과 비타민C 10%를 담아 자극 없이 칙칙한 피부를 환하게 가꿉니다.', '500 units', 'FOB $6.80 / 30 ml'],
      ['Camellia Barrier Cream', '동백 장벽 크림', 'A rich cream with cold-pressed camellia oil and ceramides for dry, sensitive skin.', '저온 압착 동백오일과 세라마이드로 건조하고 예민한 피부의 장벽을 채워 줍니다.', '500 units', 'FOB $7.40 / 50 ml'],
      ['Volcanic Clay Pore Mask', '화산송이 모공 팩', 'A wash-off mask with Jeju volcanic scoria that absorbs sebum and tightens the look of pores.', '제주 화산송이가 피지를 흡착하고 모공을 정돈하는 워시오프 팩입니다.', '1,000 units', 'FOB $4.10 / 100 ml'],
      ['Red Ginseng Eye Cream', '홍삼 아이크림', 'A firming eye cream with 6-year red ginseng and peptides.', '6년근 홍삼과 펩타이드로 눈가에 탄력을 더하는 아이크림입니다.', '500 units', 'FOB $8.90 / 25 ml'],
      ['Low-pH Cleansing Foam', '약산성 클렌징 폼', 'A pH 5.5 gel-to-foam cleanser that removes sunscreen without a tight feel.', 'pH 5.5 약산성 젤 타입 클렌저로 자외선 차단제까지 당김 없이 씻어 냅니다.', '1,000 units', 'FOB $3.20 / 150 ml'],
    ],
  },
  {
    slug: 'seorin-lab', cat: 'k-beauty', en: 'Seorin Lab', ko: '서린랩', city: 'Suwon',
    founded: 2016, employees: 31, markets: ['US', 'CA', 'TW', 'AU'], certs: 'CGMP, EWG Verified (selected items)',
    tier: 'gold',
    tagline: ['Derma care for sensitive skin', '민감 피부를 위한 더마 케어'],
    about: [
      'Founded by two pharmacists, Seorin Lab makes short-ingredient-list skincare for sensitive and acne-prone skin. Centella asiatica from our contract farm in Hadong is the backbone of the range.',
      '약사 두 명이 창업한 서린랩은 민감성·트러블 피부를 위해 전성분을 최소화한 스킨케어를 만듭니다. 하동 계약 재배 농가의 병풀이 모든 라인의 핵심 원료입니다.',
    ],
    products: [
      ['Cica Calming Toner Pad', '시카 진정 토너패드', '70 soft pads soaked in centella toner for quick calming after sun or shaving.', '병풀 토너를 머금은 70매 패드로 햇볕이나 면도 후 빠르게 진정시킵니다.', '600 units', 'FOB $5.60 / 70 pads'],
      ['Centella 80 Ampoule', '병풀 80 앰플', 'An ampoule with 80% centella extract for redness-prone skin.', '병풀 추출물 80%로 붉어지기 쉬운 피부를 위한 앰플입니다.', '600 units', 'FOB $6.20 / 50 ml'],
      ['Ceramide Moisture Cream', '세라마이드 수분 크림', 'A fragrance-free gel cream with five ceramides and panthenol.', '다섯 가지 세라마이드와 판테놀을 담은 무향 젤 크림입니다.', '600 units', 'FOB $6.80 / 80 ml'],
      ['Mineral Sun Fluid SPF50+ PA++++', '무기자차 선 플루이드 SPF50+ PA++++', 'A non-whitening mineral sunscreen, tested on sensitive skin.', '백탁이 적은 무기자차 선크림으로 민감 피부 테스트를 완료했습니다.', '1,000 units', 'FOB $5.90 / 50 ml'],
    ],
  },
  {
    slug: 'dalbit-beauty', cat: 'k-beauty', en: 'Dalbit Beauty', ko: '달빛뷰티', city: 'Incheon',
    founded: 2018, employees: 22, markets: ['US', 'JP', 'TH', 'MY'], certs: 'CGMP, Halal (selected items)',
    tagline: ['Color cosmetics with a skincare base', '스킨케어 베이스의 색조 화장품'],
    about: [
      'Dalbit Beauty develops cushion foundations and lip tints in shades built for a wide range of skin tones. Our Incheon lab turns around private-label projects in as little as eight weeks.',
      '달빛뷰티는 다양한 피부 톤을 위한 쿠션 파운데이션과 립 틴트를 개발합니다. 인천 연구소에서 자체 브랜드(PB) 프로젝트를 최단 8주 만에 완성합니다.',
    ],
    products: [
      ['Glow Cushion Foundation (18 shades)', '글로우 쿠션 파운데이션 (18호수)', 'A dewy, buildable cushion with SPF 40 in 18 shades from fair to deep.', '밝은 톤부터 어두운 톤까지 18개 호수의 촉촉한 SPF40 쿠션입니다.', '1,000 units', 'FOB $7.50 / 15 g + refill'],
      ['Water Jelly Lip Tint', '워터 젤리 립 틴트', 'A lightweight tint that stains lips for eight hours without drying.', '가볍게 발리고 8시간 동안 건조함 없이 색이 유지되는 틴트입니다.', '2,000 units', 'FOB $2.40 / 4 g'],
      ['Tinted Lip Balm', '컬러 립밤', 'A shea-butter balm with a sheer wash of color.', '시어버터 립밤에 은은한 컬러를 더했습니다.', '2,000 units', 'FOB $1.90 / 3.5 g'],
      ['Auto Brow Pencil', '오토 브로우 펜슬', 'A slim, waterproof brow pencil with a spoolie.', '스크루 브러시가 달린 슬림 방수 아이브로우 펜슬입니다.', '3,000 units', 'FOB $1.60 / piece'],
      ['Private Label Cushion Program', '쿠션 PB 개발 프로그램', 'Custom formula, shade and compact design for your brand.', '포뮬러, 호수, 용기 디자인까지 맞춤 개발하는 PB 프로그램입니다.', '3,000 units', 'Quote on request'],
    ],
  },
  {
    slug: 'mulgyeol-hair', cat: 'k-beauty', en: 'Mulgyeol Hair Care', ko: '물결헤어케어', city: 'Daegu',
    founded: 2014, employees: 27, markets: ['US', 'CN', 'VN'], certs: 'CGMP, ISO 9001',
    tagline: ['Scalp-first hair care with Korean black bean', '검은콩으로 시작하는 두피 케어'],
    about: [
      'Mulgyeol Hair Care treats hair care as scalp care. Our shampoos use fermented black bean and houttuynia, and our Daegu factory fills for several salon brands in Korea.',
      '물결헤어케어는 모발 관리의 시작을 두피로 봅니다. 발효 검은콩과 어성초로 샴푸를 만들며, 대구 공장에서 국내 여러 살롱 브랜드의 제품도 생산합니다.',
    ],
    products: [
      ['Black Bean Scalp Shampoo', '검은콩 두피 샴푸', 'A sulfate-free shampoo with fermented black bean for thinning-prone hair.', '발효 검은콩을 담은 무황산염 샴푸로 힘없는 모발에 좋습니다.', '1,000 units', 'FOB $5.10 / 500 ml'],
      ['Scalp Scaler', '두피 스케일러', 'A pre-shampoo scalp exfoliant with salicylic acid and tea tree.', '살리실산과 티트리로 샴푸 전 두피 각질을 정돈합니다.', '1,000 units', 'FOB $4.30 / 150 ml'],
      ['Silk Protein Hair Essence', '실크 프로틴 헤어 에센스', 'A no-rinse essence that smooths heat-damaged ends.', '열 손상된 모발 끝을 매끄럽게 하는 노워시 에센스입니다.', '1,000 units', 'FOB $3.80 / 100 ml'],
    ],
  },
  {
    slug: 'bomnal-mask', cat: 'k-beauty', en: 'Bomnal Mask Pack', ko: '봄날마스크팩', city: 'Cheongju',
    founded: 2010, employees: 64, markets: ['US', 'CN', 'HK', 'TH', 'AE'], certs: 'CGMP, ISO 22716, FDA registered facility',
    tagline: ['Sheet masks, made by the million', '하루 10만 장을 만드는 시트 마스크 전문 기업'],
    about: [
      'Bomnal Mask Pack has produced sheet masks since 2010 and runs six automated lines in Cheongju. We sell our own brand and manufacture OEM masks in cellulose, cupra and hydrogel.',
      '봄날마스크팩은 2010년부터 시트 마스크를 생산해 왔으며 청주에서 6개의 자동화 라인을 운영합니다. 자체 브랜드와 함께 셀룰로오스, 큐프라, 하이드로겔 마스크를 OEM으로 생산합니다.',
    ],
    products: [
      ['Daily Hydrating Sheet Mask (10 pack)', '데일리 수분 시트 마스크 (10매)', 'A hyaluronic-acid mask on a soft cellulose sheet, priced for daily use.', '부드러운 셀룰로오스 시트에 히알루론산을 담은 데일리 마스크입니다.', '2,000 boxes', 'FOB $3.90 / box of 10'],
      ['Hydrogel Collagen Mask', '하이드로겔 콜라겐 마스크', 'A two-piece hydrogel mask that stays put and cools the skin.', '밀착력이 좋고 쿨링감을 주는 투피스 하이드로겔 마스크입니다.', '2,000 units', 'FOB $1.10 / piece'],
      ['Rice Water Brightening Mask', '쌀뜨물 브라이트닝 마스크', 'A cupra-sheet mask with fermented Korean rice water.', '발효 쌀뜨물을 담은 큐프라 시트 마스크입니다.', '5,000 units', 'FOB $0.55 / piece'],
      ['OEM Sheet Mask Program', '시트 마스크 OEM 프로그램', 'Your essence, sheet and pouch design; first production in six weeks.', '에센스, 시트, 파우치 디자인을 맞춤 제작하며 첫 생산까지 6주가 걸립니다.', '10,000 units', 'Quote on request'],
    ],
  },
  // ---- Food & Beverage -----------------------------------------------------------------------
  {
    slug: 'jangdok-foods', cat: 'food-beverage', en: 'Jangdok Foods', ko: '장독식품', city: 'Jeonju',
    founded: 1998, employees: 55, markets: ['US', 'CA', 'JP', 'AU'], certs: 'HACCP, FDA registered facility, Non-GMO',
    tier: 'gold',
    tagline: ['Fermented in onggi, the traditional way', '옹기에서 전통 방식으로 발효합니다'],
    about: [
      'Jangdok Foods ferments gochujang, doenjang and soy sauce in 3,000 earthenware jars in the hills outside Jeonju. Our recipes come from the founder\'s grandmother; our plant is HACCP-certified and FDA-registered.',
      '장독식품은 전주 외곽 언덕의 옹기 3,000개에서 고추장, 된장, 간장을 발효합니다. 창업자의 할머니에게서 물려받은 레시피로, HACCP 인증과 FDA 등록을 마친 공장에서 생산합니다.',
    ],
    products: [
      ['Traditional Gochujang', '전통 고추장', 'Sun-dried chili and glutinous rice, aged for six months. No corn syrup.', '태양초와 찹쌀로 빚어 6개월 숙성했으며 물엿을 넣지 않았습니다.', '1 pallet', 'FOB $4.20 / 500 g'],
      ['Aged Doenjang', '숙성 된장', 'Soybean paste aged for two years in onggi for deep umami.', '옹기에서 2년 숙성해 감칠맛이 깊은 된장입니다.', '1 pallet', 'FOB $4.60 / 500 g'],
      ['Naturally Brewed Soy Sauce', '한식 간장', 'Soup soy sauce brewed from meju and sea salt only.', '메주와 천일염만으로 담근 국간장입니다.', '1 pallet', 'FOB $5.30 / 500 ml'],
      ['Ssamjang Dipping Sauce', '쌈장', 'A ready-to-use dip for Korean BBQ with sesame and garlic.', '참깨와 마늘을 더해 바로 먹는 고기 쌈장입니다.', '1 pallet', 'FOB $3.10 / 450 g'],
      ['Gochujang Squeeze Sauce', '고추장 소스 (튜브형)', 'A pourable gochujang sauce for bibimbap, wings and tacos.', '비빔밥, 윙, 타코에 뿌려 먹는 소스형 고추장입니다.', '2 pallets', 'FOB $2.70 / 300 g'],
    ],
  },
  {
    slug: 'halla-orchard', cat: 'food-beverage', en: 'Halla Orchard', ko: '한라과원', city: 'Jeju',
    founded: 2008, employees: 19, markets: ['JP', 'SG', 'HK'], certs: 'HACCP, GAP',
    tagline: ['Jeju citrus, from our grove to your shelf', '제주 감귤, 과원에서 매대까지'],
    about: [
      'Halla Orchard grows hallabong and tangerines on 40 hectares at the foot of Mount Halla and processes them on site into juice, chips and preserves. We are ready for our first North American importer.',
      '한라과원은 한라산 자락 40헥타르의 과원에서 한라봉과 감귤을 재배하고, 현장에서 주스, 칩, 청으로 가공합니다. 북미 첫 수입 파트너를 찾고 있습니다.',
    ],
    products: [
      ['Hallabong NFC Juice', '한라봉 NFC 주스', 'Not-from-concentrate hallabong juice, cold-filled, no added sugar.', '농축하지 않은 한라봉 착즙 주스로 설탕을 넣지 않았습니다.', '500 cases', 'FOB $2.10 / 250 ml'],
      ['Crispy Tangerine Chips', '감귤 칩', 'Whole tangerine slices, vacuum-fried at low temperature.', '감귤을 통째로 썰어 저온 진공 건조한 칩입니다.', '300 cases', 'FOB $1.80 / 30 g'],
      ['Yuja Citron Marmalade', '유자 마멀레이드', 'Jeju yuja peel preserved with cane sugar; for tea, toast or glazes.', '제주 유자 껍질을 원당으로 절여 차, 토스트, 소스에 두루 씁니다.', '300 cases', 'FOB $3.40 / 480 g'],
      ['Jeju Green Tea Latte Powder', '제주 녹차 라떼 파우더', 'Stone-ground Jeju green tea blended for cafe lattes.', '맷돌로 간 제주 녹차를 카페 라떼용으로 배합했습니다.', '200 cases', 'FOB $6.50 / 500 g'],
    ],
  },
  {
    slug: 'bada-gim', cat: 'food-beverage', en: 'Bada Gim', ko: '바다김', city: 'Mokpo',
    founded: 2003, employees: 72, markets: ['US', 'CA', 'MX', 'DE', 'UK'], certs: 'HACCP, BRCGS, MSC chain of custody',
    tagline: ['Roasted seaweed snacks from the southwest coast', '서남해안에서 온 구운 김 스낵'],
    about: [
      'Bada Gim buys laver directly from farms off Mokpo and roasts it twice for a light, crisp sheet. We supply seaweed snacks to retailers in six countries and pack private label from 20,000 units.',
      '바다김은 목포 앞바다 양식장에서 김을 직접 수매해 두 번 구워 바삭한 식감을 살립니다. 6개국 리테일러에 김 스낵을 공급하며, 2만 개부터 PB 포장이 가능합니다.',
    ],
    products: [
      ['Sea Salt Seaweed Snack (12 pack)', '천일염 김 스낵 (12봉)', 'Twice-roasted laver with sunflower oil and sea salt, 5 g per pack.', '해바라기유와 천일염으로 두 번 구운 김, 한 봉 5g입니다.', '1,000 cartons', 'FOB $3.60 / 12 x 5 g'],
      ['Wasabi Seaweed Snack', '와사비 김 스낵', 'The classic snack with a gentle wasabi kick.', '은은한 와사비 맛을 더한 김 스낵입니다.', '1,000 cartons', 'FOB $3.80 / 12 x 5 g'],
      ['Seaweed Tempura Chips', '김부각 칩', 'Laver coated in rice batter and fried: a crunchy bar snack.', '김에 찹쌀풀을 발라 튀긴 바삭한 부각 칩입니다.', '500 cartons', 'FOB $1.70 / 50 g'],
      ['Gimbap Laver (100 sheets)', '김밥용 김 (100매)', 'Full-size roasted sheets for sushi and gimbap kitchens.', '김밥과 스시 주방을 위한 전장 구운 김입니다.', '300 cartons', 'FOB $11.00 / 100 sheets'],
    ],
  },
  {
    slug: 'sonmat-kimchi', cat: 'food-beverage', en: 'Sonmat Kimchi', ko: '손맛김치', city: 'Gwangju',
    founded: 2011, employees: 38, markets: ['US', 'JP', 'AU'], certs: 'HACCP, Vegan certification, Halal',
    tagline: ['Hand-made kimchi, shelf-stable for export', '손으로 버무린 수출형 김치'],
    about: [
      'Sonmat Kimchi still seasons every batch by hand in Gwangju, the home of Korea\'s kimchi festival. Our export line controls fermentation so the kimchi arrives crisp after a month at sea.',
      '손맛김치는 김치 축제의 도시 광주에서 지금도 모든 김치를 손으로 버무립니다. 수출 라인은 발효를 제어해 한 달의 해상 운송 후에도 아삭함을 유지합니다.',
    ],
    products: [
      ['Napa Cabbage Kimchi', '포기김치', 'Whole-leaf cabbage kimchi with Korean chili flakes and salted shrimp.', '국산 고춧가루와 새우젓으로 버무린 포기김치입니다.', '1 pallet', 'FOB $4.90 / 1 kg'],
      ['Vegan Kimchi', '비건 김치', 'Fish-free kimchi seasoned with kelp and shiitake broth.', '젓갈 대신 다시마와 표고 육수로 맛을 낸 비건 김치입니다.', '1 pallet', 'FOB $5.20 / 1 kg'],
      ['Cubed Radish Kimchi', '깍두기', 'Crunchy radish cubes, a staple side dish for restaurants.', '식당의 기본 반찬인 아삭한 깍두기입니다.', '1 pallet', 'FOB $4.40 / 1 kg'],
      ['Kimchi Seasoning Powder', '김치 시즈닝 파우더', 'Freeze-dried kimchi flavor for snacks, fries and instant noodles.', '과자, 감자튀김, 라면에 쓰는 동결건조 김치 시즈닝입니다.', '100 kg', 'FOB $18.00 / kg'],
    ],
  },
  {
    slug: 'hwarang-tea', cat: 'food-beverage', en: 'Hwarang Tea Garden', ko: '화랑다원', city: 'Boseong',
    founded: 1994, employees: 24, markets: ['US', 'JP', 'DE', 'FR'], certs: 'USDA Organic, EU Organic, HACCP',
    tier: 'gold',
    tagline: ['Organic green tea from the terraces of Boseong', '보성 계단식 차밭의 유기농 녹차'],
    about: [
      'Hwarang Tea Garden farms 25 hectares of terraced, organic tea fields in Boseong, Korea\'s green-tea county. We pick by hand in April and May and pan-fire the leaves the same day.',
      '화랑다원은 녹차의 고장 보성에서 25헥타르의 계단식 유기농 차밭을 가꿉니다. 4~5월에 손으로 따서 당일 덖어 냅니다.',
    ],
    products: [
      ['Sejak First Flush Green Tea', '세작 녹차', 'Young leaves picked in early May, pan-fired; nutty and sweet.', '5월 초에 딴 어린 잎을 덖어 고소하고 달큰합니다.', '100 tins', 'FOB $14.00 / 80 g tin'],
      ['Yuja Citron Tea', '유자차', 'Korean citron preserved in honey; add hot water.', '꿀에 절인 유자로 뜨거운 물만 부으면 됩니다.', '300 cases', 'FOB $4.80 / 1 kg jar'],
      ['Roasted Barley Tea Bags', '볶은 보리차 티백', 'Caffeine-free barley tea, 30 pyramid bags.', '카페인 없는 보리차 삼각 티백 30개입입니다.', '500 cases', 'FOB $2.30 / 30 bags'],
      ['Jujube & Ginger Tea Sticks', '대추생강차 스틱', 'Single-serve jujube and ginger concentrate, 15 sticks.', '대추와 생강 농축액을 1회분 스틱 15개에 담았습니다.', '300 cases', 'FOB $5.60 / 15 sticks'],
      ['Matcha Ceremonial Grade', '세레모니얼 말차', 'Shade-grown Boseong tea, stone-milled.', '차광 재배한 보성 차잎을 맷돌로 갈았습니다.', '50 tins', 'FOB $19.00 / 30 g tin'],
    ],
  },
  {
    slug: 'ssal-bakery', cat: 'food-beverage', en: 'Ssal Bakery', ko: '쌀베이커리', city: 'Yeoju',
    founded: 2015, employees: 33, markets: ['US', 'TW', 'SG'], certs: 'HACCP, Gluten-Free Certification (GFCO)',
    tagline: ['Gluten-free snacks from Yeoju rice', '여주 쌀로 만든 글루텐프리 간식'],
    about: [
      'Ssal Bakery bakes with rice from Yeoju, famous for Korea\'s royal-court rice, and keeps a dedicated gluten-free plant. Our crackers and traditional sweets sell in convenience stores across Korea.',
      '쌀베이커리는 임금님 진상미로 알려진 여주 쌀로 굽고, 글루텐프리 전용 공장을 운영합니다. 쌀과자와 전통 과자가 전국 편의점에서 판매되고 있습니다.',
    ],
    products: [
      ['Brown Rice Crackers', '현미 쌀과자', 'Puffed brown rice crackers with a touch of sea salt.', '현미를 뻥튀기해 천일염을 살짝 더했습니다.', '500 cartons', 'FOB $1.40 / 60 g'],
      ['Injeolmi Rice Cake Bites', '인절미 한입떡', 'Soft rice cake bites rolled in roasted soybean powder, frozen.', '볶은 콩고물을 묻힌 말랑한 한입 인절미(냉동)입니다.', '300 cartons', 'FOB $3.20 / 300 g'],
      ['Yakgwa Honey Cookies', '약과', 'Traditional honey-and-sesame-oil cookies, individually wrapped.', '꿀과 참기름으로 만든 전통 약과를 개별 포장했습니다.', '300 cartons', 'FOB $4.10 / 10 pieces'],
      ['Rice Flour Pancake Mix', '쌀가루 팬케이크 믹스', 'A gluten-free pancake and waffle mix from 100% Korean rice.', '국산 쌀 100%로 만든 글루텐프리 팬케이크·와플 믹스입니다.', '300 cartons', 'FOB $2.90 / 500 g'],
    ],
  },
  // ---- Health supplements --------------------------------------------------------------------
  {
    slug: 'geumsan-red-ginseng', cat: 'health-supplements', en: 'Geumsan Red Ginseng', ko: '금산홍삼', city: 'Geumsan',
    founded: 1989, employees: 86, markets: ['US', 'CN', 'TW', 'VN', 'MY'], certs: 'KGMP, HACCP, NSF (selected items)',
    tier: 'platinum', tz: 'America/New_York',
    tagline: ['Six-year-old red ginseng since 1989', '1989년부터 6년근 홍삼 한 길'],
    about: [
      'Geumsan Red Ginseng steams and dries six-year-old roots from Geumsan, Korea\'s ginseng capital, and turns them into extracts, sticks and tablets. Our US office in Fort Lee, New Jersey, handles import, labeling and FDA paperwork for our partners.',
      '금산홍삼은 인삼의 고장 금산에서 자란 6년근을 찌고 말려 농축액, 스틱, 정제로 만듭니다. 미국 뉴저지주 포트리 지사가 수입 통관, 라벨링, FDA 서류를 파트너 대신 처리합니다.',
    ],
    products: [
      ['6-Year Red Ginseng Extract', '6년근 홍삼 농축액', 'Pure concentrated extract, ginsenosides Rg1+Rb1+Rg3 at 8 mg/g.', '진세노사이드 Rg1+Rb1+Rg3 8mg/g의 순수 농축액입니다.', '100 jars', 'FOB $38.00 / 240 g jar'],
      ['Red Ginseng Everyday Sticks', '홍삼 에브리데이 스틱', 'Ready-to-drink extract in 30 sticks of 10 ml.', '바로 마시는 10ml 스틱 30포입니다.', '200 boxes', 'FOB $21.00 / 30 sticks'],
      ['Red Ginseng Tablets', '홍삼정 타블렛', '120 easy-to-swallow tablets for daily energy.', '매일 먹기 쉬운 정제 120정입니다.', '300 bottles', 'FOB $14.50 / 120 tablets'],
      ['Honey-Sliced Ginseng', '홍삼 절편', 'Thin slices of red ginseng candied in honey, gift-boxed.', '홍삼을 얇게 썰어 꿀에 절인 선물용 절편입니다.', '100 boxes', 'FOB $26.00 / 200 g box'],
      ['Red Ginseng Kids Jelly', '어린이 홍삼 젤리', 'A low-dose, fruit-flavored jelly stick for children aged 4+.', '4세 이상 어린이를 위한 저용량 과일맛 젤리 스틱입니다.', '200 boxes', 'FOB $12.00 / 30 sticks'],
      ['Red Ginseng Raw Material (bulk)', '홍삼 원료 (벌크)', 'Powder and extract for supplement makers, with COA.', '건강기능식품 제조사를 위한 분말·농축액 원료, 시험성적서 제공.', '25 kg', 'Quote on request'],
    ],
  },
  {
    slug: 'biome-k', cat: 'health-supplements', en: 'BiomeK', mono: 'BK', ko: '바이옴케이', city: 'Daejeon',
    founded: 2019, employees: 29, markets: ['US', 'VN', 'ID'], certs: 'KGMP, ISO 22000, patented strains',
    tagline: ['Probiotics isolated from kimchi', '김치에서 찾은 유산균'],
    about: [
      'BiomeK is a Daejeon biotech start-up that isolates lactic acid bacteria from traditional kimchi and ferments them at scale. Two of our strains hold Korean and US patents.',
      '바이옴케이는 전통 김치에서 유산균을 분리해 대량 배양하는 대전의 바이오 스타트업입니다. 보유 균주 중 두 종이 한국과 미국 특허를 받았습니다.',
    ],
    products: [
      ['Kimchi Probiotics 20B', '김치 유산균 200억', '20 billion CFU from 10 kimchi-derived strains, 30 capsules.', '김치 유래 10종 균주 200억 CFU, 30캡슐입니다.', '500 bottles', 'FOB $9.80 / 30 capsules'],
      ['Women\'s Probiotics', '여성 유산균', 'Strains selected for vaginal flora, with cranberry extract.', '질 건강을 위해 선별한 균주에 크랜베리 추출물을 더했습니다.', '500 bottles', 'FOB $10.50 / 30 capsules'],
      ['Postbiotic Powder Sticks', '포스트바이오틱스 스틱', 'Heat-treated lactobacillus in a lemon-flavored powder stick.', '열처리 유산균을 레몬맛 분말 스틱에 담았습니다.', '500 boxes', 'FOB $8.20 / 30 sticks'],
      ['Probiotic Strain Licensing', '균주 라이선싱', 'Bulk powder and licensing of our patented strains for your brand.', '특허 균주의 벌크 원료 공급 및 라이선스를 제공합니다.', '10 kg', 'Quote on request'],
    ],
  },
  {
    slug: 'hanbit-nutrition', cat: 'health-supplements', en: 'Hanbit Nutrition', ko: '한빛뉴트리션', city: 'Cheongju',
    founded: 2009, employees: 57, markets: ['US', 'CN', 'TH', 'AE'], certs: 'KGMP, HACCP, ISO 9001',
    tagline: ['Collagen and black garlic, made in Osong', '오송에서 만든 콜라겐과 흑마늘'],
    about: [
      'Hanbit Nutrition manufactures jelly sticks, tablets and extracts in the Osong bio-cluster near Cheongju. We make our own brand and produce for more than 40 OEM/ODM clients.',
      '한빛뉴트리션은 청주 인근 오송 바이오 클러스터에서 젤리 스틱, 정제, 농축액을 생산합니다. 자체 브랜드와 함께 40여 개 OEM/ODM 고객사의 제품을 만듭니다.',
    ],
    products: [
      ['Low-Molecular Fish Collagen Jelly', '저분자 피쉬 콜라겐 젤리', '1,000 Da fish collagen in a peach-flavored jelly stick.', '1,000달톤 저분자 피쉬 콜라겐을 복숭아맛 젤리 스틱에 담았습니다.', '500 boxes', 'FOB $9.90 / 14 sticks'],
      ['Uiseong Black Garlic Extract', '의성 흑마늘 진액', 'Black garlic aged 21 days and extracted; 30 pouches.', '21일 숙성한 의성 흑마늘 진액 30포입니다.', '300 boxes', 'FOB $13.00 / 30 pouches'],
      ['Aronia Berry Extract', '아로니아 진액', 'Cold-extracted aronia, rich in anthocyanins.', '안토시아닌이 풍부한 아로니아를 저온 추출했습니다.', '300 boxes', 'FOB $11.20 / 30 pouches'],
      ['Lutein & Zeaxanthin', '루테인 지아잔틴', 'Eye-health softgels from marigold extract.', '마리골드 추출물로 만든 눈 건강 소프트젤입니다.', '500 bottles', 'FOB $6.40 / 60 softgels'],
    ],
  },
  {
    slug: 'sansu-wellness', cat: 'health-supplements', en: 'Sansu Wellness', ko: '산수웰니스', city: 'Gurye',
    founded: 2013, employees: 18, markets: ['JP', 'TW'], certs: 'HACCP, Organic (Korea)',
    tagline: ['Wild berries and roots of Jirisan', '지리산의 열매와 뿌리'],
    about: [
      'Sansu Wellness is a farmers\' cooperative company at the foot of Jirisan. We process cornelian cherries, omija berries and balloon-flower root grown by 120 member farms.',
      '산수웰니스는 지리산 자락의 영농조합 기업입니다. 120개 회원 농가가 재배한 산수유, 오미자, 도라지를 가공합니다.',
    ],
    products: [
      ['Cornelian Cherry Extract', '산수유 진액', 'Gurye cornelian cherries, seeded and slow-extracted.', '구례 산수유의 씨를 빼고 천천히 달였습니다.', '200 boxes', 'FOB $12.50 / 30 pouches'],
      ['Omija Berry Concentrate', '오미자 청', 'The five-flavor berry concentrate: dilute 1:5 for a tart drink.', '다섯 가지 맛의 오미자 농축액, 1:5로 희석해 마십니다.', '200 bottles', 'FOB $7.80 / 500 ml'],
      ['Pear & Balloon Flower Sticks', '배도라지 스틱', 'Korean pear and doraji root for the throat; 30 jelly sticks.', '목을 위한 배와 도라지, 젤리 스틱 30포입니다.', '300 boxes', 'FOB $8.60 / 30 sticks'],
    ],
  },
  // ---- Home & Living -------------------------------------------------------------------------
  {
    slug: 'onggi-living', cat: 'home-living', en: 'Onggi Living', ko: '옹기리빙', city: 'Ulsan',
    founded: 2007, employees: 15, markets: ['JP', 'US', 'FR'], certs: 'FDA food contact (LFGB tested)',
    tier: 'gold',
    tagline: ['Breathing earthenware for modern homes', '숨 쉬는 옹기를 현대 생활에'],
    about: [
      'Onggi Living is run by third-generation potters from Oegosan, Korea\'s largest onggi village. Our glazed earthenware breathes, which keeps kimchi, grains and plants in good condition.',
      '옹기리빙은 국내 최대 옹기마을인 외고산의 3대째 옹기장이가 운영합니다. 숨 쉬는 옹기는 김치, 곡물, 식물을 좋은 상태로 지켜 줍니다.',
    ],
    products: [
      ['Onggi Kimchi Pot (3 L)', '옹기 김치독 (3L)', 'A lidded fermentation pot with a water-seal rim.', '물 밀봉 테두리가 있는 뚜껑형 발효 항아리입니다.', '50 pieces', 'FOB $28.00 / piece'],
      ['Rice Storage Jar', '쌀독', 'Keeps rice and grains cool and free of bugs; 10 kg.', '쌀과 곡물을 서늘하게, 벌레 없이 보관하는 10kg 쌀독입니다.', '30 pieces', 'FOB $46.00 / piece'],
      ['Onggi Planter Set', '옹기 화분 세트', 'Three breathable planters in graduated sizes.', '크기가 다른 숨 쉬는 옹기 화분 3종 세트입니다.', '50 sets', 'FOB $24.00 / set'],
      ['Reed Diffuser with Onggi Vessel', '옹기 디퓨저', 'A stoneware diffuser with a pine-needle fragrance.', '솔잎 향을 담은 옹기 디퓨저입니다.', '100 pieces', 'FOB $15.00 / piece'],
    ],
  },
  {
    slug: 'najeon-atelier', cat: 'home-living', en: 'Najeon Atelier', ko: '나전공방', city: 'Tongyeong',
    founded: 2002, employees: 12, markets: ['US', 'JP', 'FR', 'AE'], certs: 'Korea Craft Quality Mark',
    tagline: ['Mother-of-pearl lacquerware from Tongyeong', '통영 나전칠기'],
    about: [
      'Najeon Atelier inlays hand-cut abalone shell into natural lacquer, the craft Tongyeong has been known for since the Joseon dynasty. We make gifts for museums, hotels and corporate clients.',
      '나전공방은 조선 시대부터 통영이 이어 온 기법대로 손으로 자른 전복 껍데기를 옻칠에 박아 넣습니다. 박물관, 호텔, 기업 고객을 위한 선물을 제작합니다.',
    ],
    products: [
      ['Najeon Jewelry Box', '나전 보석함', 'A lacquered wooden box with a crane-and-pine shell inlay.', '학과 소나무 문양을 자개로 새긴 옻칠 보석함입니다.', '20 pieces', 'FOB $120.00 / piece'],
      ['Mother-of-Pearl Coaster Set', '자개 코스터 세트', 'Four coasters with a wave pattern, gift-boxed.', '물결 문양 코스터 4개를 선물 상자에 담았습니다.', '50 sets', 'FOB $32.00 / set'],
      ['Lacquer Chopsticks & Spoon', '옻칠 수저 세트', 'Dishwasher-safe lacquered chopsticks and spoon.', '식기세척기 사용이 가능한 옻칠 수저 세트입니다.', '100 sets', 'FOB $18.00 / set'],
      ['Najeon Business Card Case', '나전 명함 지갑', 'A slim card case for corporate gifts, custom logo possible.', '기업 선물용 슬림 명함 지갑으로 로고 각인이 가능합니다.', '100 pieces', 'FOB $22.00 / piece'],
    ],
  },
  {
    slug: 'sumbi-bedding', cat: 'home-living', en: 'Sumbi Bedding', ko: '숨비침구', city: 'Daegu',
    founded: 2005, employees: 41, markets: ['US', 'JP', 'VN', 'AU'], certs: 'OEKO-TEX Standard 100, GOTS (organic line)',
    tagline: ['Cool, breathable bedding from Daegu\'s textile mills', '대구 섬유로 만든 시원한 침구'],
    about: [
      'Sumbi Bedding weaves and sews in Daegu, the center of Korea\'s textile industry. Our cooling fabrics and quilted "ibul" blankets are sold in Korean department stores and on Amazon Japan.',
      '숨비침구는 한국 섬유 산업의 중심지 대구에서 직조와 봉제를 합니다. 냉감 원단과 누빔 이불이 국내 백화점과 아마존 재팬에서 판매되고 있습니다.',
    ],
    products: [
      ['Cooling Summer Blanket', '냉감 여름 이불', 'A nylon-rayon blend that feels cool to the touch (Q-max 0.35).', '만지면 시원한 나일론·레이온 혼방 이불입니다 (Q-max 0.35).', '200 pieces', 'FOB $19.00 / queen'],
      ['Quilted Cotton Ibul', '면 누빔 이불', 'A lightweight, machine-washable quilt in 60s cotton.', '60수 면으로 만든 가볍고 세탁기 사용이 가능한 누빔 이불입니다.', '200 pieces', 'FOB $34.00 / queen'],
      ['Buckwheat Hull Pillow', '메밀 베개', 'A traditional buckwheat pillow with an organic cotton cover.', '유기농 면 커버를 씌운 전통 메밀 베개입니다.', '300 pieces', 'FOB $11.00 / piece'],
      ['Bamboo Fiber Bed Sheet Set', '대나무 섬유 침대 시트 세트', 'Silky bamboo lyocell sheets, fitted + flat + two cases.', '부드러운 대나무 라이오셀 시트 4종 세트입니다.', '200 sets', 'FOB $38.00 / queen set'],
    ],
  },
  {
    slug: 'hanji-and-co', cat: 'home-living', en: 'Hanji & Co.', mono: 'H&C', ko: '한지앤코', city: 'Wonju',
    founded: 2017, employees: 14, markets: ['US', 'DE', 'JP'], certs: 'FSC mix (packaging)',
    tagline: ['Mulberry paper, made for light', '빛을 위한 닥나무 종이'],
    about: [
      'Hanji & Co. turns hand-made mulberry paper from Wonju into lamps, wall coverings and stationery. Hanji is strong, breathable and lasts for centuries; we design it for contemporary interiors.',
      '한지앤코는 원주의 수제 닥나무 한지로 조명, 벽지, 문구를 만듭니다. 질기고 숨 쉬며 수백 년을 견디는 한지를 현대 인테리어에 맞게 디자인합니다.',
    ],
    products: [
      ['Hanji Pendant Lamp', '한지 펜던트 조명', 'A folded-paper pendant shade, UL-listed E26 socket for North America.', '접어 만든 한지 펜던트 갓, 북미용 UL 인증 E26 소켓을 씁니다.', '30 pieces', 'FOB $65.00 / piece'],
      ['Hanji Table Lamp', '한지 스탠드', 'A walnut base with a hand-laid hanji shade.', '월넛 받침에 손으로 바른 한지 갓을 얹었습니다.', '30 pieces', 'FOB $78.00 / piece'],
      ['Hanji Wall Covering', '한지 벽지', 'Breathable wall covering in natural and indigo-dyed tones, per roll.', '자연색과 쪽빛으로 염색한 숨 쉬는 한지 벽지(롤 단위)입니다.', '20 rolls', 'FOB $42.00 / roll'],
      ['Hanji Stationery Gift Set', '한지 문구 선물 세트', 'Letter paper, envelopes and a notebook in a paper box.', '편지지, 봉투, 노트를 한지 상자에 담았습니다.', '100 sets', 'FOB $14.00 / set'],
    ],
  },
  {
    slug: 'malgeum-home-care', cat: 'home-living', en: 'Malgeum Home Care', ko: '맑음홈케어', city: 'Ansan',
    founded: 2014, employees: 36, markets: ['US', 'CA', 'AU', 'SG'], certs: 'EWG Verified, Korea Eco-Label, EPA Safer Choice (pending)',
    tagline: ['Plant-based cleaners without plastic bottles', '플라스틱 용기 없는 식물성 세제'],
    about: [
      'Malgeum Home Care makes concentrated, plant-based detergents in sheet and bar form, which removes the plastic bottle and cuts shipping weight by 90%. Our Ansan plant runs on 40% rooftop solar.',
      '맑음홈케어는 시트와 바 형태의 고농축 식물성 세제를 만들어 플라스틱 용기를 없애고 운송 무게를 90% 줄였습니다. 안산 공장은 전력의 40%를 지붕 태양광으로 씁니다.',
    ],
    products: [
      ['Laundry Detergent Sheets (60)', '세탁 세제 시트 (60매)', 'Pre-measured sheets that dissolve in cold water; fragrance-free.', '찬물에도 녹는 정량 시트 세제로 무향입니다.', '1,000 packs', 'FOB $5.40 / 60 sheets'],
      ['Solid Dish Soap Bar', '고체 주방 비누', 'A coconut-based dish bar that lasts as long as three bottles.', '코코넛 유래 주방 비누로 액체 세제 3병 분량을 씁니다.', '2,000 pieces', 'FOB $2.10 / 150 g'],
      ['Fabric Softener Sheets', '섬유 유연제 시트', 'Plant-based softener sheets with cotton scent.', '코튼 향의 식물성 유연제 시트입니다.', '1,000 packs', 'FOB $3.90 / 40 sheets'],
      ['Enzyme Drain Cleaner', '효소 배수구 세정제', 'A biodegradable enzyme powder that keeps drains clear.', '생분해되는 효소 파우더로 배수구 막힘을 예방합니다.', '1,000 packs', 'FOB $2.80 / 10 sachets'],
    ],
  },
  // ---- Kitchenware ---------------------------------------------------------------------------
  {
    slug: 'dandan-cookware', cat: 'kitchenware', en: 'Dandan Cookware', ko: '단단쿡웨어', city: 'Gimhae',
    founded: 2001, employees: 95, markets: ['US', 'DE', 'PL', 'AU', 'MX'], certs: 'ISO 9001, LFGB, FDA, PFAS-free',
    tagline: ['PFAS-free ceramic pans for every cooktop', '모든 열원에 쓰는 PFAS 프리 세라믹 팬'],
    about: [
      'Dandan Cookware presses, coats and inspects frying pans and pots in Gimhae for its own brand and for European retailers. Our ceramic coating contains no PFAS and passes 30,000 abrasion cycles.',
      '단단쿡웨어는 김해 공장에서 프라이팬과 냄비를 프레스, 코팅, 검사까지 직접 하며 자체 브랜드와 유럽 리테일러 제품을 생산합니다. 세라믹 코팅은 PFAS가 없고 3만 회 마모 시험을 통과했습니다.',
    ],
    products: [
      ['Ceramic Frying Pan 28 cm', '세라믹 프라이팬 28cm', 'Induction-ready forged aluminum with a PFAS-free ceramic coating.', '인덕션 겸용 단조 알루미늄에 PFAS 프리 세라믹 코팅을 했습니다.', '500 pieces', 'FOB $11.50 / piece'],
      ['Tri-Ply Stainless Pot 24 cm', '3중 스테인리스 냄비 24cm', 'Fully clad stainless steel with a glass lid.', '통 3중 스테인리스 냄비에 유리 뚜껑을 더했습니다.', '300 pieces', 'FOB $21.00 / piece'],
      ['Korean BBQ Grill Pan', '코리안 바비큐 그릴팬', 'A round grill pan with a grease channel, for gas and induction.', '기름 배출 홈이 있는 원형 그릴팬으로 가스와 인덕션에 씁니다.', '300 pieces', 'FOB $14.00 / piece'],
      ['Deep Wok 30 cm', '딥 웍 30cm', 'A deep ceramic-coated wok with a detachable handle.', '손잡이 분리형 세라믹 코팅 딥 웍입니다.', '300 pieces', 'FOB $15.50 / piece'],
      ['Stackable Cookware Set (7 pcs)', '스태킹 쿡웨어 세트 (7종)', 'Space-saving nested pans and pots with one removable handle.', '손잡이 하나로 쓰는 공간 절약형 포개기 세트입니다.', '200 sets', 'FOB $48.00 / set'],
    ],
  },
  {
    slug: 'bangjja-yugi', cat: 'kitchenware', en: 'Bangjja Yugi Works', ko: '방짜유기공방', city: 'Anseong',
    founded: 1985, employees: 21, markets: ['US', 'JP', 'HK'], certs: 'Intangible Cultural Heritage workshop, FDA food contact',
    tier: 'gold',
    tagline: ['Hand-forged bronze tableware from Anseong', '안성에서 두드려 만든 방짜유기'],
    about: [
      'Bangjja Yugi Works forges tableware from 78:22 copper-tin bronze by hammering, the way Anseong\'s smiths have for 400 years. Bronze keeps food warm and develops a soft golden patina.',
      '방짜유기공방은 구리와 주석을 78:22로 합금해 400년 안성 유기장의 방식대로 두드려 식기를 만듭니다. 유기는 음식을 따뜻하게 지키고 은은한 금빛으로 익어 갑니다.',
    ],
    products: [
      ['Bronze Rice & Soup Bowl Set', '유기 밥·국그릇 세트', 'A hand-forged bowl pair with lids.', '뚜껑이 있는 손두드림 밥그릇과 국그릇 세트입니다.', '20 sets', 'FOB $95.00 / set'],
      ['Bronze Spoon & Chopsticks', '유기 수저 세트', 'A classic sujeo set; polishes back to gold with a cloth.', '천으로 닦으면 금빛이 돌아오는 수저 세트입니다.', '50 sets', 'FOB $29.00 / set'],
      ['Bronze Tumbler', '유기 텀블러', 'A 300 ml cup that keeps makgeolli and beer cold.', '막걸리와 맥주를 시원하게 지키는 300ml 잔입니다.', '50 pieces', 'FOB $34.00 / piece'],
      ['Bronze Serving Plate', '유기 접시', 'A 24 cm plate for restaurant presentation.', '레스토랑 플레이팅용 24cm 접시입니다.', '30 pieces', 'FOB $48.00 / piece'],
    ],
  },
  {
    slug: 'namu-kitchen', cat: 'kitchenware', en: 'Namu Kitchen', ko: '나무키친', city: 'Gangneung',
    founded: 2016, employees: 11, markets: ['US', 'CA', 'DE'], certs: 'FSC, FDA food contact',
    tagline: ['Wooden kitchen tools from Gangwon forests', '강원의 숲에서 온 나무 주방 도구'],
    about: [
      'Namu Kitchen is a workshop in Gangneung making cutting boards and utensils from FSC-certified walnut, cherry and Korean red pine, finished with food-safe perilla oil.',
      '나무키친은 FSC 인증 월넛, 체리, 금강송으로 도마와 주방 도구를 만드는 강릉의 공방이며, 식품 안전 들기름으로 마감합니다.',
    ],
    products: [
      ['Walnut End-Grain Cutting Board', '월넛 엔드그레인 도마', 'A 40 x 28 cm end-grain board that is kind to knife edges.', '칼날에 부드러운 40 x 28cm 엔드그레인 도마입니다.', '50 pieces', 'FOB $42.00 / piece'],
      ['Red Pine Rice Paddle Set', '금강송 주걱 세트', 'Rice paddle and spatula in aromatic Korean red pine.', '향긋한 금강송 주걱과 뒤집개 세트입니다.', '200 sets', 'FOB $7.80 / set'],
      ['Cherry Wood Serving Tray', '체리목 서빙 트레이', 'A low-edged tray for tea service and charcuterie.', '다과와 샤퀴테리를 위한 낮은 테두리 트레이입니다.', '100 pieces', 'FOB $19.00 / piece'],
    ],
  },
  {
    slug: 'bapsot-kitchen', cat: 'kitchenware', en: 'Bapsot Kitchen', ko: '밥솥키친', city: 'Yangsan',
    founded: 1999, employees: 140, markets: ['US', 'CA', 'VN', 'MY', 'AU'], certs: 'UL, ETL, CE, KC',
    tagline: ['Pressure rice cookers, UL-listed for North America', '북미 UL 인증 압력 밥솥'],
    about: [
      'Bapsot Kitchen has designed and built induction pressure rice cookers in Yangsan since 1999. Our North American models are UL-listed, speak English and Spanish, and cook brown rice, oatmeal and congee.',
      '밥솥키친은 1999년부터 양산에서 IH 압력 밥솥을 설계하고 생산해 왔습니다. 북미 모델은 UL 인증을 받았고 영어·스페인어 음성 안내를 지원하며 현미, 오트밀, 죽 요리가 됩니다.',
    ],
    products: [
      ['IH Pressure Rice Cooker, 6 cups', 'IH 압력 밥솥 6인용', 'Twin-pressure induction cooker with 16 menus, 120 V.', '16가지 메뉴의 트윈 압력 IH 밥솥, 120V입니다.', '200 units', 'FOB $118.00 / unit'],
      ['IH Pressure Rice Cooker, 10 cups', 'IH 압력 밥솥 10인용', 'The restaurant-friendly big brother, with a stainless inner pot.', '스테인리스 내솥의 업소용 대용량 모델입니다.', '100 units', 'FOB $152.00 / unit'],
      ['Mini Rice Cooker, 3 cups', '미니 밥솥 3인용', 'A compact non-pressure cooker for dorms and small kitchens.', '기숙사와 작은 주방을 위한 무압 미니 밥솥입니다.', '300 units', 'FOB $36.00 / unit'],
      ['Multi Cooker & Air Fryer Combo', '멀티쿠커 에어프라이어 겸용', 'Pressure-cooks, slow-cooks and air-fries with two lids.', '뚜껑 두 개로 압력, 슬로우쿡, 에어프라이를 모두 합니다.', '200 units', 'FOB $84.00 / unit'],
    ],
  },
  {
    slug: 'ttukbaegi-ceramics', cat: 'kitchenware', en: 'Ttukbaegi Ceramics', ko: '뚝배기도예', city: 'Icheon',
    founded: 1996, employees: 26, markets: ['US', 'JP', 'TW'], certs: 'FDA lead/cadmium tested, LFGB',
    tagline: ['Stone pots that go from flame to table', '불에서 식탁까지 가는 돌솥과 뚝배기'],
    about: [
      'Ttukbaegi Ceramics fires earthenware pots and stone bowls in Icheon\'s ceramic village. Korean restaurants across the US already cook our ttukbaegi on their stoves every day.',
      '뚝배기도예는 이천 도자기 마을에서 뚝배기와 돌솥을 굽습니다. 미국 곳곳의 한식당이 이미 매일 저희 뚝배기로 요리하고 있습니다.',
    ],
    products: [
      ['Ttukbaegi Earthenware Pot', '뚝배기', 'For stews and steamed egg; direct flame and oven safe.', '찌개와 계란찜용으로 직화와 오븐에 쓸 수 있습니다.', '200 pieces', 'FOB $6.20 / 16 cm'],
      ['Dolsot Stone Bowl with Trivet', '돌솥과 받침', 'A heavy stone bowl for sizzling bibimbap, with a wooden base.', '지글지글 돌솥비빔밥용 돌솥에 나무 받침을 더했습니다.', '100 pieces', 'FOB $13.50 / set'],
      ['Celadon Rice Bowl', '청자 밥공기', 'A jade-glazed bowl in the Goryeo celadon tradition.', '고려청자 전통의 비색 유약을 입힌 밥공기입니다.', '200 pieces', 'FOB $8.80 / piece'],
      ['Banchan Side Dish Set', '반찬기 세트', 'Five small glazed dishes for side dishes.', '반찬을 담는 유약 소접시 5종 세트입니다.', '100 sets', 'FOB $16.00 / set'],
    ],
  },
  // ---- Fashion & Accessories -----------------------------------------------------------------
  {
    slug: 'bojagi-studio', cat: 'fashion-accessories', en: 'Bojagi Studio', ko: '보자기스튜디오', city: 'Seoul',
    founded: 2019, employees: 9, markets: ['US', 'JP', 'UK'], certs: 'GOTS (organic cotton line)',
    tagline: ['Patchwork wrapping cloth, reinvented', '조각보를 새롭게'],
    about: [
      'Bojagi Studio sews patchwork in the tradition of jogakbo, Korea\'s wrapping cloths, into scarves, totes and gift wraps. Every piece uses offcuts from Seoul\'s Dongdaemun fabric market.',
      '보자기스튜디오는 조각보의 전통대로 천을 이어 붙여 스카프, 토트백, 선물 포장보를 만듭니다. 모든 제품에 서울 동대문 원단 시장의 자투리 천을 씁니다.',
    ],
    products: [
      ['Silk Jogakbo Scarf', '실크 조각보 스카프', 'A hand-stitched patchwork scarf in ramie and silk.', '모시와 실크를 손바느질로 이은 조각보 스카프입니다.', '30 pieces', 'FOB $38.00 / piece'],
      ['Reusable Bojagi Gift Wrap', '다회용 보자기 포장보', 'Cotton wrapping cloths in three sizes to replace gift paper.', '포장지를 대신하는 면 보자기 3종입니다.', '200 pieces', 'FOB $6.50 / piece'],
      ['Patchwork Tote Bag', '조각보 토트백', 'A sturdy canvas tote with a bojagi panel.', '튼튼한 캔버스에 조각보 패널을 더한 토트백입니다.', '100 pieces', 'FOB $17.00 / piece'],
    ],
  },
  {
    slug: 'gaeul-shoes', cat: 'fashion-accessories', en: 'Gaeul Shoes', ko: '가을슈즈', city: 'Busan',
    founded: 1992, employees: 58, markets: ['US', 'JP', 'DE', 'TW'], certs: 'ISO 9001, LWG (tannery partner)',
    tagline: ['Comfort shoes from Busan\'s shoe street', '부산 신발 거리에서 온 편한 신발'],
    about: [
      'Gaeul Shoes comes out of Busan\'s shoemaking district, where many global sneaker brands were once made. We make light leather loafers and walking shoes with our own memory-foam insoles.',
      '가을슈즈는 세계적인 운동화 브랜드들이 생산되던 부산 신발 산업 지구에서 출발했습니다. 자체 개발한 메모리폼 깔창을 넣은 가벼운 가죽 로퍼와 워킹화를 만듭니다.',
    ],
    products: [
      ['Featherweight Leather Loafer', '초경량 가죽 로퍼', 'A 190 g loafer in soft cowhide with a cushioned insole.', '부드러운 소가죽에 쿠션 깔창을 넣은 190g 로퍼입니다.', '300 pairs', 'FOB $32.00 / pair'],
      ['Daily Walking Sneaker', '데일리 워킹 스니커즈', 'A knit walking shoe with a shock-absorbing EVA sole.', '충격 흡수 EVA 밑창의 니트 워킹화입니다.', '500 pairs', 'FOB $24.00 / pair'],
      ['Indoor Wool Slippers', '실내 울 슬리퍼', 'Felted wool slippers with a non-slip sole.', '미끄럼 방지 밑창의 펠트 울 슬리퍼입니다.', '500 pairs', 'FOB $9.50 / pair'],
      ['Memory Foam Insoles', '메모리폼 깔창', 'Our insole, sold separately for retailers and podiatrists.', '자체 개발 깔창을 리테일러와 족부 클리닉용으로 별도 판매합니다.', '1,000 pairs', 'FOB $3.20 / pair'],
    ],
  },
  {
    slug: 'dana-hanbok', cat: 'fashion-accessories', en: 'Dana Modern Hanbok', ko: '단아 모던한복', city: 'Seoul',
    founded: 2018, employees: 13, markets: ['US', 'JP', 'FR'], certs: 'Seoul Fashion Week 2025 showcase',
    tagline: ['Hanbok you can wear to the office', '출근할 때도 입는 한복'],
    about: [
      'Dana Modern Hanbok reworks the lines of traditional Korean dress into everyday clothing: wrap skirts, cheollik dresses and short jeogori jackets in washable fabrics.',
      '단아 모던한복은 전통 한복의 선을 일상복으로 풀어냅니다. 세탁이 쉬운 원단으로 랩스커트, 철릭 원피스, 짧은 저고리를 만듭니다.',
    ],
    products: [
      ['Wrap Skirt (chima)', '랩 치마', 'A pleated wrap skirt with the volume of a chima, machine-washable.', '치마의 풍성함을 살린 주름 랩스커트로 물세탁이 됩니다.', '50 pieces', 'FOB $45.00 / piece'],
      ['Cheollik Dress', '철릭 원피스', 'A belted shirt dress after the Joseon officer\'s coat.', '조선 무관의 철릭에서 온 벨트 셔츠 원피스입니다.', '50 pieces', 'FOB $62.00 / piece'],
      ['Short Jeogori Jacket', '숏 저고리 재킷', 'A cropped jacket with a goreum tie, in linen or wool.', '고름 끈이 있는 크롭 재킷, 린넨과 울 두 가지입니다.', '50 pieces', 'FOB $54.00 / piece'],
      ['Norigae Bag Charm', '노리개 백참', 'A knotted tassel charm in the maedeup tradition.', '매듭 전통을 살린 술 장식 백참입니다.', '200 pieces', 'FOB $8.00 / piece'],
    ],
  },
  {
    slug: 'bitna-eyewear', cat: 'fashion-accessories', en: 'Bitna Eyewear', ko: '빛나아이웨어', city: 'Daegu',
    founded: 2004, employees: 44, markets: ['US', 'DE', 'FR', 'IN'], certs: 'ISO 9001, ISO 12312-1 (sunglasses), FDA registered',
    tier: 'gold', tz: 'America/Los_Angeles',
    tagline: ['Beta-titanium frames from Daegu', '대구에서 만든 베타티타늄 안경테'],
    about: [
      'Bitna Eyewear makes beta-titanium and acetate frames in Daegu, Korea\'s eyewear capital, and runs a showroom and warehouse in Los Angeles. Our staff answer from LA time, so meeting us is easy for West Coast buyers.',
      '빛나아이웨어는 안경 산업의 메카 대구에서 베타티타늄과 아세테이트 안경테를 만들고, 로스앤젤레스에 쇼룸과 창고를 두고 있습니다. 직원이 LA 시간에 맞춰 응대해 서부 바이어와 상담이 편합니다.',
    ],
    products: [
      ['Beta-Titanium Optical Frame', '베타티타늄 안경테', 'A 9 g screwless frame with flexible temples.', '나사 없는 9g 안경테로 다리가 유연합니다.', '100 pieces', 'FOB $18.00 / piece'],
      ['Acetate Round Frame', '아세테이트 라운드 안경테', 'Italian acetate in six colors with five-barrel hinges.', '이탈리아산 아세테이트 6가지 색상, 5단 경첩입니다.', '100 pieces', 'FOB $15.00 / piece'],
      ['Blue-Light Glasses', '블루라이트 차단 안경', 'Anti-glare lenses that filter 40% of blue light.', '청색광 40%를 줄이는 반사 방지 렌즈 안경입니다.', '300 pieces', 'FOB $7.50 / piece'],
      ['Polarized Sunglasses', '편광 선글라스', 'Category 3 polarized lenses in a titanium frame.', '티타늄 테에 카테고리 3 편광 렌즈를 끼웠습니다.', '200 pieces', 'FOB $21.00 / piece'],
      ['Magnetic Clip-On Shades', '자석 클립온 선글라스', 'Clip-ons that snap onto our optical frames.', '자사 안경테에 자석으로 붙이는 클립온입니다.', '200 pieces', 'FOB $6.00 / piece'],
    ],
  },
  // ---- Baby & Kids ---------------------------------------------------------------------------
  {
    slug: 'aga-organic', cat: 'baby-kids', en: 'Aga Organic', ko: '아가오가닉', city: 'Cheonan',
    founded: 2013, employees: 34, markets: ['US', 'CN', 'VN', 'AU'], certs: 'GOTS, OEKO-TEX Standard 100, KC',
    tier: 'gold',
    tagline: ['Organic cotton for a baby\'s first years', '아기의 첫 몇 해를 위한 유기농 면'],
    about: [
      'Aga Organic knits and sews GOTS-certified organic cotton baby clothing in Cheonan. Our bodysuits, swaddles and bibs are dyed without azo dyes and tested for 400 substances.',
      '아가오가닉은 천안에서 GOTS 인증 유기농 면으로 아기 옷을 편직하고 봉제합니다. 바디슈트, 속싸개, 턱받이는 아조 염료 없이 염색하고 400가지 물질 검사를 거칩니다.',
    ],
    products: [
      ['Organic Cotton Bodysuit (3 pack)', '유기농 면 바디슈트 (3매)', 'Kimono-style bodysuits with side snaps, 0-24 months.', '옆 똑딱이 기모노형 바디슈트, 0~24개월입니다.', '300 packs', 'FOB $13.00 / pack'],
      ['Muslin Swaddle Blanket', '거즈 속싸개', 'Four-layer muslin that gets softer with each wash.', '빨수록 부드러워지는 4중 거즈 속싸개입니다.', '300 pieces', 'FOB $8.40 / piece'],
      ['Bamboo Bib Set', '대나무 턱받이 세트', 'Absorbent bamboo terry bibs, set of three.', '흡수력 좋은 대나무 타월 턱받이 3종입니다.', '500 sets', 'FOB $5.60 / set'],
      ['Baby Sleep Sack', '아기 수면 조끼', 'A 1.0 TOG wearable blanket with a two-way zipper.', '양방향 지퍼의 1.0 TOG 수면 조끼입니다.', '300 pieces', 'FOB $14.50 / piece'],
    ],
  },
  {
    slug: 'bobo-baby-food', cat: 'baby-kids', en: 'Bobo Baby Food', ko: '보보이유식', city: 'Hwaseong',
    founded: 2016, employees: 47, markets: ['US', 'HK', 'SG', 'VN'], certs: 'HACCP, USDA Organic, FDA registered facility',
    tagline: ['Organic Korean rice snacks for little hands', '작은 손을 위한 유기농 쌀 간식'],
    about: [
      'Bobo Baby Food makes organic rice puffs, purees and teething sticks with no added salt or sugar. Every lot is tested for heavy metals and the results are published per batch.',
      '보보이유식은 소금과 설탕을 넣지 않은 유기농 쌀 떡뻥, 퓨레, 치발기 스틱을 만듭니다. 모든 로트의 중금속 검사 결과를 배치별로 공개합니다.',
    ],
    products: [
      ['Organic Rice Puffs', '유기농 떡뻥', 'Melt-in-the-mouth rice puffs for 6 months+.', '입에서 살살 녹는 6개월 이상용 떡뻥입니다.', '500 cartons', 'FOB $1.90 / 30 g'],
      ['Teething Rice Sticks', '치발기 쌀 스틱', 'Long rice sticks that soothe gums and dissolve safely.', '잇몸을 달래 주고 안전하게 녹는 긴 쌀 스틱입니다.', '500 cartons', 'FOB $2.20 / 40 g'],
      ['Fruit & Veggie Puree Pouches', '과일 채소 퓨레 파우치', 'Apple-spinach and pear-sweet potato blends, 100 g.', '사과·시금치, 배·고구마 블렌드 100g 파우치입니다.', '1,000 pouches', 'FOB $1.10 / pouch'],
    ],
  },
  {
    slug: 'kkumteo-toys', cat: 'baby-kids', en: 'Kkumteo Toys', ko: '꿈터토이즈', city: 'Paju',
    founded: 2010, employees: 23, markets: ['US', 'JP', 'DE', 'AU'], certs: 'ASTM F963, EN71, KC',
    tagline: ['Wooden toys that teach', '배우며 노는 원목 장난감'],
    about: [
      'Kkumteo Toys designs educational toys in Paju\'s book and culture city and makes them in beech wood with water-based paints. Our Hangul puzzle has taught letters to more than 200,000 children.',
      '꿈터토이즈는 파주 출판문화도시에서 교육용 장난감을 디자인하고, 너도밤나무와 수성 페인트로 만듭니다. 한글 퍼즐로 20만 명이 넘는 아이들이 글자를 배웠습니다.',
    ],
    products: [
      ['Wooden Building Blocks (60 pcs)', '원목 블록 (60피스)', 'Beech-wood blocks in a pull-along wagon.', '끌고 다니는 수레에 담긴 너도밤나무 블록입니다.', '200 sets', 'FOB $22.00 / set'],
      ['Hangul Letter Puzzle', '한글 자모 퍼즐', 'All 24 Korean letters as chunky pieces, with a bilingual guide.', '한글 자모 24자를 두꺼운 조각으로, 한영 가이드를 담았습니다.', '300 sets', 'FOB $12.00 / set'],
      ['Coding Robot for Kids', '어린이 코딩 로봇', 'A screen-free robot programmed with instruction cards, age 4+.', '명령 카드로 움직이는 화면 없는 코딩 로봇, 4세 이상입니다.', '200 units', 'FOB $38.00 / unit'],
      ['Magnetic Tangram', '자석 칠교놀이', 'A travel tangram with 100 puzzle cards.', '퍼즐 카드 100장이 든 휴대용 자석 칠교입니다.', '500 sets', 'FOB $6.80 / set'],
    ],
  },
  {
    slug: 'pogeun-baby', cat: 'baby-kids', en: 'Pogeun Baby Gear', ko: '포근베이비', city: 'Incheon',
    founded: 2012, employees: 39, markets: ['US', 'CN', 'JP', 'MX'], certs: 'ASTM F2236, EN 13209-2, KC',
    tagline: ['The hip seat carrier parents\' backs ask for', '부모의 허리가 먼저 찾는 힙시트'],
    about: [
      'Pogeun Baby Gear popularized the hip seat carrier in Korea and now ships it to 14 countries. We engineer carriers, stroller accessories and bath products around one idea: less strain for parents.',
      '포근베이비는 국내에 힙시트 아기띠를 널리 알렸고 지금은 14개국에 수출합니다. 아기띠, 유모차 액세서리, 목욕 용품 모두 부모의 부담을 덜어 주는 데 초점을 맞춥니다.',
    ],
    products: [
      ['Hip Seat Baby Carrier', '힙시트 아기띠', 'A carrier with a foam hip seat; front, hip and back positions.', '폼 힙시트가 있는 아기띠로 앞, 옆, 뒤로 멜 수 있습니다.', '200 units', 'FOB $34.00 / unit'],
      ['Cooling Stroller Liner', '유모차 쿨매트', '3D air-mesh liner that keeps babies cool in summer.', '여름에 아기 등을 시원하게 하는 3D 에어메쉬 라이너입니다.', '300 pieces', 'FOB $9.80 / piece'],
      ['Baby Bath Seat', '아기 목욕 의자', 'A non-slip, foldable bath seat for 6-18 months.', '6~18개월용 미끄럼 방지 접이식 목욕 의자입니다.', '300 pieces', 'FOB $11.50 / piece'],
    ],
  },
  // ---- Machinery & Parts ---------------------------------------------------------------------
  {
    slug: 'changwon-precision', cat: 'machinery-parts', en: 'Changwon Precision Gear', ko: '창원정밀기어', city: 'Changwon',
    founded: 1987, employees: 210, markets: ['US', 'DE', 'JP', 'IN', 'MX'], certs: 'ISO 9001, IATF 16949, ISO 14001',
    tier: 'platinum',
    tagline: ['Gear reducers for robots and automation', '로봇과 자동화를 위한 감속기'],
    about: [
      'Changwon Precision Gear grinds gears and assembles planetary and cycloidal reducers in the Changwon National Industrial Complex. We supply robot makers, machine-tool builders and EV component plants on three continents.',
      '창원정밀기어는 창원국가산업단지에서 기어를 연삭하고 유성·사이클로이드 감속기를 조립합니다. 세 대륙의 로봇 제조사, 공작기계 업체, 전기차 부품 공장에 공급합니다.',
    ],
    products: [
      ['Precision Planetary Reducer', '정밀 유성 감속기', 'Backlash under 3 arcmin, ratios 3:1 to 100:1, frame sizes 60-220.', '백래시 3arcmin 이하, 감속비 3:1~100:1, 프레임 60~220입니다.', '10 units', 'From $240 / unit'],
      ['Cycloidal Robot Joint Reducer', '사이클로이드 로봇 관절 감속기', 'A compact, high-rigidity reducer for collaborative robot joints.', '협동 로봇 관절용 고강성 소형 감속기입니다.', '10 units', 'Quote on request'],
      ['Ground Helical Gears', '연삭 헬리컬 기어', 'Custom helical gears to DIN 5 / AGMA 12, module 1-8.', 'DIN 5 / AGMA 12 등급 맞춤 헬리컬 기어, 모듈 1~8입니다.', '50 pieces', 'Quote per drawing'],
      ['Servo Motor Couplings', '서보 모터 커플링', 'Zero-backlash disc couplings for servo drives.', '서보 구동용 무백래시 디스크 커플링입니다.', '50 pieces', 'From $18 / piece'],
      ['Right-Angle Bevel Gearbox', '직각 베벨 기어박스', 'Spiral bevel gearbox with hollow or solid shaft.', '중공축 또는 솔리드축의 스파이럴 베벨 기어박스입니다.', '10 units', 'From $310 / unit'],
    ],
  },
  {
    slug: 'daehan-hydraulics', cat: 'machinery-parts', en: 'Daehan Hydraulics', ko: '대한유압', city: 'Busan',
    founded: 1979, employees: 160, markets: ['US', 'CA', 'AU', 'AE', 'ID'], certs: 'ISO 9001, CE, ISO 4413',
    tier: 'gold',
    tagline: ['Hydraulic cylinders and power units, built to drawing', '도면대로 만드는 유압 실린더와 파워유닛'],
    about: [
      'Daehan Hydraulics machines, welds and tests hydraulic cylinders up to 500 mm bore at our plant in Busan\'s Noksan industrial complex. Construction, agricultural and marine equipment makers are our main customers.',
      '대한유압은 부산 녹산산업단지 공장에서 보어 500mm까지의 유압 실린더를 가공, 용접, 시험합니다. 건설, 농업, 선박 장비 제조사가 주요 고객입니다.',
    ],
    products: [
      ['Welded Hydraulic Cylinder', '용접형 유압 실린더', 'Bore 40-500 mm, up to 350 bar, chrome or nitrided rods.', '보어 40~500mm, 최대 350bar, 크롬 또는 질화 로드입니다.', '20 units', 'Quote per drawing'],
      ['Tie-Rod Cylinder (NFPA)', '타이로드 실린더 (NFPA)', 'Interchangeable with NFPA T3.6.7 for North American machines.', '북미 장비용 NFPA T3.6.7 호환 실린더입니다.', '20 units', 'From $160 / unit'],
      ['Compact Hydraulic Power Unit', '소형 유압 파워유닛', 'AC/DC power packs for lifts, tailgates and presses.', '리프트, 테일게이트, 프레스용 AC/DC 파워팩입니다.', '10 units', 'From $420 / unit'],
      ['External Gear Pump', '외접 기어 펌프', 'Group 1-3 gear pumps, 1-80 cc/rev.', '그룹 1~3, 1~80cc/rev 기어 펌프입니다.', '50 pieces', 'From $45 / piece'],
    ],
  },
  {
    slug: 'hanil-bearing', cat: 'machinery-parts', en: 'Hanil Bearing', ko: '한일베어링', city: 'Changwon',
    founded: 1991, employees: 120, markets: ['US', 'DE', 'TW', 'VN'], certs: 'ISO 9001, IATF 16949',
    tagline: ['Linear motion and bearings, in stock', '리니어 모션과 베어링, 재고 보유'],
    about: [
      'Hanil Bearing produces linear guides, ball screws and deep-groove bearings for machine tools, semiconductor equipment and packaging lines, and keeps 4,000 SKUs in stock for short lead times.',
      '한일베어링은 공작기계, 반도체 장비, 포장 라인용 리니어 가이드, 볼스크류, 깊은 홈 볼베어링을 생산하며 짧은 납기를 위해 4,000종의 재고를 보유합니다.',
    ],
    products: [
      ['Linear Guide Rail & Block', '리니어 가이드 레일·블록', 'Sizes 15-45, interchangeable with major brands, preload classes Z0-Z2.', '사이즈 15~45, 주요 브랜드와 호환, 예압 Z0~Z2입니다.', '10 sets', 'From $38 / block'],
      ['Rolled Ball Screw', '전조 볼스크류', 'C7 rolled ball screws, diameter 12-40 mm, cut to length.', 'C7 등급 전조 볼스크류, 직경 12~40mm, 길이 맞춤입니다.', '10 pieces', 'From $55 / piece'],
      ['Deep Groove Ball Bearings', '깊은 홈 볼베어링', '6000-6300 series, sealed or shielded, low-noise grade.', '6000~6300 시리즈, 실드·씰 타입, 저소음 등급입니다.', '1,000 pieces', 'From $0.60 / piece'],
    ],
  },
  {
    slug: 'seohae-cnc-tools', cat: 'machinery-parts', en: 'Seohae CNC Tools', ko: '서해씨엔씨공구', city: 'Incheon',
    founded: 2000, employees: 75, markets: ['US', 'MX', 'DE', 'PL', 'IN'], certs: 'ISO 9001',
    tagline: ['Carbide end mills with a 48-hour regrind service', '초경 엔드밀, 48시간 재연마 서비스'],
    about: [
      'Seohae CNC Tools grinds solid carbide end mills and drills in Incheon\'s Namdong industrial complex. Our coated tools for stainless steel and aerospace alloys compete on tool life, not just price.',
      '서해씨엔씨공구는 인천 남동산업단지에서 초경 엔드밀과 드릴을 연삭합니다. 스테인리스와 항공 합금용 코팅 공구로 가격이 아니라 수명으로 경쟁합니다.',
    ],
    products: [
      ['4-Flute Carbide End Mill', '4날 초경 엔드밀', 'Variable-helix end mill with AlTiN coating for steels up to 55 HRC.', 'AlTiN 코팅 부등 리드 엔드밀로 55HRC 강재까지 가공합니다.', '50 pieces', 'From $14 / piece'],
      ['High-Feed Indexable Inserts', '고이송 인서트', 'Double-sided inserts for roughing; 8 edges per insert.', '황삭용 양면 인서트로 인서트당 8개 날을 씁니다.', '100 pieces', 'From $4.80 / piece'],
      ['Coolant-Through Carbide Drill', '내부 급유 초경 드릴', '5xD drill with through-coolant holes, diameters 3-20 mm.', '내부 급유 홀이 있는 5xD 드릴, 직경 3~20mm입니다.', '20 pieces', 'From $32 / piece'],
      ['Shrink-Fit Tool Holders', '열박음 툴홀더', 'BT40, CAT40 and HSK63A holders balanced to G2.5 at 25,000 rpm.', 'BT40, CAT40, HSK63A 홀더, 25,000rpm에서 G2.5 밸런싱.', '10 pieces', 'From $85 / piece'],
    ],
  },
  {
    slug: 'taeyang-motion', cat: 'machinery-parts', en: 'Taeyang Motion', ko: '태양모션', city: 'Ansan',
    founded: 2006, employees: 88, markets: ['US', 'CN', 'DE', 'VN'], certs: 'ISO 9001, UL recognized, CE',
    tagline: ['BLDC and stepper motors with matching drives', 'BLDC·스테핑 모터와 전용 드라이버'],
    about: [
      'Taeyang Motion designs brushless DC and stepper motors together with their drivers at our Banwol industrial complex site. Our motors run AGVs, medical pumps and smart-factory conveyors.',
      '태양모션은 반월산업단지에서 BLDC 모터와 스테핑 모터를 드라이버와 함께 설계합니다. 저희 모터가 AGV, 의료용 펌프, 스마트 팩토리 컨베이어를 움직입니다.',
    ],
    products: [
      ['BLDC Motor 400 W', 'BLDC 모터 400W', '48 V brushless motor with hall sensors, IP54.', '홀 센서 내장 48V BLDC 모터, IP54입니다.', '50 units', 'From $68 / unit'],
      ['Closed-Loop Stepper Motor', '폐루프 스테핑 모터', 'NEMA 23/24 stepper with encoder: no lost steps.', '엔코더 내장 NEMA 23/24 스테핑 모터로 탈조가 없습니다.', '50 units', 'From $42 / unit'],
      ['Motor Driver with CANopen', 'CANopen 모터 드라이버', 'A driver for our BLDC and stepper motors with CANopen and Modbus.', 'CANopen과 Modbus를 지원하는 전용 드라이버입니다.', '50 units', 'From $55 / unit'],
      ['AGV Drive Wheel Module', 'AGV 구동 휠 모듈', 'Motor, gearbox, brake and wheel in one module for mobile robots.', '모터, 감속기, 브레이크, 휠을 하나로 묶은 이동 로봇용 모듈입니다.', '10 units', 'From $390 / unit'],
    ],
  },
  {
    slug: 'pohang-fasteners', cat: 'machinery-parts', en: 'Pohang Fasteners', ko: '포항파스너', city: 'Pohang',
    founded: 1983, employees: 130, markets: ['US', 'CA', 'JP', 'AU', 'AE'], certs: 'ISO 9001, ASTM F3125, KS',
    tagline: ['Structural bolts from Pohang steel', '포항 철강으로 만든 구조용 볼트'],
    about: [
      'Pohang Fasteners forges high-strength structural bolts, anchor bolts and stainless fasteners next to the steelworks that supply our wire rod. We ship mill-certified lots to bridge, tower and plant projects.',
      '포항파스너는 선재를 공급받는 제철소 바로 옆에서 고장력 구조용 볼트, 앵커 볼트, 스테인리스 체결재를 단조합니다. 교량, 철탑, 플랜트 프로젝트에 검사 성적서를 갖춘 로트를 납품합니다.',
    ],
    products: [
      ['Structural Bolts ASTM F3125 A325/A490', '구조용 볼트 ASTM F3125 A325/A490', 'Heavy hex structural bolts with nuts and washers, hot-dip galvanized option.', '너트와 와셔를 포함한 육각 구조용 볼트, 용융아연도금 선택 가능.', '5 tons', 'Quote per lot'],
      ['Anchor Bolts F1554', '앵커 볼트 F1554', 'Grade 36/55/105 anchor rods, bent or headed.', '등급 36/55/105 앵커 로드, 절곡형·헤드형.', '3 tons', 'Quote per lot'],
      ['Stainless Hex Bolts A2/A4', '스테인리스 육각 볼트 A2/A4', '304 and 316 stainless bolts, M6-M36.', '304·316 스테인리스 볼트, M6~M36입니다.', '1 ton', 'Quote per lot'],
      ['Tension Control Bolts', 'TC 볼트', 'Twist-off tension control bolts for steel construction.', '철골 공사용 토크 전단형 TC 볼트입니다.', '5 tons', 'Quote per lot'],
    ],
  },
  // ---- Electronics & Smart Devices -----------------------------------------------------------
  {
    slug: 'nuri-iot', cat: 'smart-devices', en: 'Nuri IoT', ko: '누리IoT', city: 'Seongnam',
    founded: 2015, employees: 62, markets: ['US', 'JP', 'VN', 'SG'], certs: 'FCC, UL, KC, Matter certified',
    tier: 'platinum', tz: 'America/Chicago',
    tagline: ['Smart door locks that Korean apartments trust', '한국 아파트가 믿는 스마트 도어록'],
    about: [
      'Nuri IoT builds digital door locks and home sensors in Pangyo Techno Valley. Korea has one of the highest door-lock adoption rates in the world; our Matter-certified models bring that experience to North American homes through our Dallas office.',
      '누리IoT는 판교테크노밸리에서 디지털 도어록과 홈 센서를 만듭니다. 세계 최고 수준의 도어록 보급률을 가진 한국의 경험을 Matter 인증 모델에 담아 댈러스 지사를 통해 북미 가정에 선보입니다.',
    ],
    products: [
      ['Wi-Fi Smart Door Lock (deadbolt)', 'Wi-Fi 스마트 도어록 (데드볼트형)', 'Fingerprint, PIN, app and key; fits standard US doors, Matter over Thread.', '지문, 비밀번호, 앱, 열쇠 지원, 미국 표준 도어에 맞으며 Matter over Thread 지원.', '100 units', 'FOB $89.00 / unit'],
      ['Push-Pull Smart Lock', '푸시풀 스마트 도어록', 'The Korean-style push-pull handle lock with face recognition.', '얼굴 인식 기능의 한국식 푸시풀 도어록입니다.', '50 units', 'FOB $168.00 / unit'],
      ['Indoor Air Quality Monitor', '실내 공기질 측정기', 'PM2.5, CO2, VOC and humidity with a week-long history on screen.', 'PM2.5, CO2, VOC, 습도를 측정하고 일주일 기록을 보여 줍니다.', '200 units', 'FOB $39.00 / unit'],
      ['Smart Plug with Energy Meter', '전력 측정 스마트 플러그', '15 A smart plug, FCC/UL, works with major voice assistants.', '15A 스마트 플러그, FCC/UL 인증, 주요 음성 비서와 연동.', '500 units', 'FOB $8.90 / unit'],
      ['Thread Border Router Hub', 'Thread 보더 라우터 허브', 'A small hub that connects our Thread devices to Wi-Fi.', 'Thread 기기를 Wi-Fi에 연결하는 소형 허브입니다.', '200 units', 'FOB $29.00 / unit'],
    ],
  },
  {
    slug: 'eumpa-audio', cat: 'smart-devices', en: 'Eumpa Audio', ko: '음파오디오', city: 'Suwon',
    founded: 2017, employees: 40, markets: ['US', 'JP', 'TW', 'DE'], certs: 'FCC, CE, Bluetooth SIG, KC',
    tier: 'gold',
    tagline: ['Bone-conduction audio for runners and workers', '러너와 현장을 위한 골전도 오디오'],
    about: [
      'Eumpa Audio was founded by acoustic engineers from a major Suwon electronics company. We specialize in bone-conduction and open-ear audio that keeps you aware of your surroundings.',
      '음파오디오는 수원의 대형 전자 회사 출신 음향 엔지니어들이 창업했습니다. 주변 소리를 들을 수 있는 골전도·오픈형 오디오를 전문으로 합니다.',
    ],
    products: [
      ['Bone-Conduction Sport Headphones', '골전도 스포츠 헤드폰', 'IP67, 10-hour battery, 29 g titanium band.', 'IP67 방수, 10시간 배터리, 29g 티타늄 밴드입니다.', '200 units', 'FOB $36.00 / unit'],
      ['Open-Ear Wireless Earbuds', '오픈형 무선 이어버드', 'Ear-hook earbuds with directional speakers and ENC mics.', '지향성 스피커와 ENC 마이크의 이어훅형 이어버드입니다.', '300 units', 'FOB $24.00 / unit'],
      ['Safety Helmet Bone-Conduction Kit', '안전모 골전도 키트', 'A clip-on kit with push-to-talk for construction and factory crews.', '건설·공장 작업자용 무전(PTT) 기능 안전모 부착 키트입니다.', '100 units', 'FOB $58.00 / unit'],
      ['Rugged Bluetooth Speaker', '러기드 블루투스 스피커', 'A 20 W outdoor speaker, IP67, floats in water.', '물에 뜨는 IP67 20W 아웃도어 스피커입니다.', '300 units', 'FOB $27.00 / unit'],
    ],
  },
  {
    slug: 'barun-healthtech', cat: 'smart-devices', en: 'Barun Health Tech', ko: '바른헬스테크', city: 'Daegu',
    founded: 2018, employees: 26, markets: ['US', 'JP', 'CN'], certs: 'FDA 510(k) exempt Class I, FCC, KC',
    tagline: ['Posture and recovery devices, app-connected', '앱으로 연결되는 자세 교정·회복 기기'],
    about: [
      'Barun Health Tech grew out of Daegu\'s medical device cluster. Our wearables coach posture with gentle vibration and our recovery devices pair with a bilingual app.',
      '바른헬스테크는 대구 의료기기 클러스터에서 성장했습니다. 웨어러블이 부드러운 진동으로 자세를 알려 주고, 회복 기기는 한영 앱과 연동됩니다.',
    ],
    products: [
      ['Smart Posture Trainer', '스마트 자세 교정기', 'A 9 g sensor on the upper back that buzzes when you slouch.', '등 위쪽에 붙이는 9g 센서로 구부정하면 진동으로 알려 줍니다.', '300 units', 'FOB $19.00 / unit'],
      ['Mini Massage Gun', '미니 마사지건', 'A 380 g percussion massager with four heads and USB-C.', '헤드 4종, USB-C 충전의 380g 마사지건입니다.', '300 units', 'FOB $26.00 / unit'],
      ['Neck EMS Massager', '목 EMS 마사지기', 'A wearable neck massager with heat and 15 intensity levels.', '온열과 15단계 강도의 목 착용형 마사지기입니다.', '300 units', 'FOB $22.00 / unit'],
    ],
  },
  {
    slug: 'haetsal-energy', cat: 'smart-devices', en: 'Haetsal Energy', ko: '햇살에너지', city: 'Gwangju',
    founded: 2014, employees: 52, markets: ['US', 'CA', 'AU', 'JP'], certs: 'UL 2743, FCC, CE, UN38.3',
    tagline: ['Portable power for camping and blackouts', '캠핑과 정전 대비 휴대용 전원'],
    about: [
      'Haetsal Energy builds LiFePO4 portable power stations and foldable solar panels in Gwangju\'s photonics cluster. North American campers and emergency-preparedness retailers are our fastest-growing market.',
      '햇살에너지는 광주 광산업 클러스터에서 LiFePO4 휴대용 파워뱅크와 접이식 태양광 패널을 만듭니다. 북미 캠핑족과 재난 대비 용품 리테일러가 가장 빠르게 성장하는 시장입니다.',
    ],
    products: [
      ['Portable Power Station 1,000 Wh', '휴대용 파워스테이션 1,000Wh', 'LiFePO4, 3,000 cycles, 1,500 W pure-sine output, UL 2743.', 'LiFePO4, 3,000사이클, 1,500W 정현파 출력, UL 2743 인증.', '50 units', 'FOB $385.00 / unit'],
      ['Foldable Solar Panel 200 W', '접이식 태양광 패널 200W', 'Monocrystalline panel with kickstands, 23.5% efficiency.', '거치대가 있는 단결정 패널, 효율 23.5%입니다.', '100 units', 'FOB $148.00 / unit'],
      ['Solar LED Garden Light (4 pack)', '태양광 LED 정원등 (4개입)', 'Warm-white stake lights with a 10-hour runtime.', '10시간 켜지는 전구색 말뚝형 정원등입니다.', '500 packs', 'FOB $9.50 / pack'],
      ['Power Bank 20,000 mAh, 65 W', '보조배터리 20,000mAh 65W', 'Charges a laptop over USB-C PD; airline-safe.', 'USB-C PD로 노트북을 충전하며 기내 반입이 됩니다.', '500 units', 'FOB $21.00 / unit'],
    ],
  },
  {
    slug: 'dodam-care', cat: 'smart-devices', en: 'Dodam Care', ko: '도담케어', city: 'Daejeon',
    founded: 2020, employees: 21, markets: ['JP', 'SG'], certs: 'FCC (pending), KC, ISO 13485 (in progress)',
    tagline: ['Companion devices for older adults living alone', '혼자 사는 어르신을 위한 돌봄 기기'],
    about: [
      'Dodam Care develops companion speakers and sensors that over 9,000 older adults in Korea use through local governments. The devices remind, talk, and alert family when something is wrong.',
      '도담케어는 지자체를 통해 국내 9,000여 명의 어르신이 쓰는 돌봄 스피커와 센서를 개발합니다. 약 복용을 알려 주고, 말벗이 되고, 이상이 있으면 가족에게 알립니다.',
    ],
    products: [
      ['Companion Speaker', '돌봄 말벗 스피커', 'A voice companion with medication reminders and a daily check-in call.', '복약 알림과 매일 안부 확인을 해 주는 음성 말벗입니다.', '100 units', 'FOB $74.00 / unit'],
      ['Fall Detection Sensor', '낙상 감지 센서', 'A ceiling-mounted radar sensor; no camera, privacy kept.', '천장형 레이더 센서로 카메라 없이 사생활을 지킵니다.', '100 units', 'FOB $96.00 / unit'],
      ['Smart Pill Dispenser', '스마트 약 디스펜서', 'A 28-slot dispenser that unlocks only at dose time and alerts family.', '복용 시간에만 열리고 가족에게 알리는 28칸 디스펜서입니다.', '100 units', 'FOB $62.00 / unit'],
    ],
  },
  // ---- Eco & Packaging -----------------------------------------------------------------------
  {
    slug: 'pureum-pulp', cat: 'eco-packaging', en: 'Pureum Pulp Packaging', ko: '푸름펄프', city: 'Cheongju',
    founded: 2011, employees: 68, markets: ['US', 'CA', 'JP', 'AU'], certs: 'BPI compostable, FSC, FDA food contact, PFAS-free',
    tier: 'gold',
    tagline: ['Molded fiber that replaces foam', '스티로폼을 대신하는 펄프 몰드'],
    about: [
      'Pureum Pulp Packaging molds bagasse and recycled-paper pulp into food containers and protective inserts. Our PFAS-free grease barrier meets the new packaging laws in several US states.',
      '푸름펄프는 사탕수수 부산물과 재생지 펄프로 식품 용기와 완충 트레이를 성형합니다. PFAS 없는 방유 코팅으로 미국 여러 주의 새 포장재 규제를 충족합니다.',
    ],
    products: [
      ['Bagasse Clamshell Container', '바가스 도시락 용기', 'A 9 x 9 inch hinged container, microwave- and freezer-safe.', '9 x 9인치 일체형 뚜껑 용기로 전자레인지와 냉동에 씁니다.', '50,000 pieces', 'FOB $0.09 / piece'],
      ['Molded Pulp Electronics Insert', '전자제품 펄프 완충재', 'Custom-tooled protective inserts that replace EPS foam.', 'EPS 스티로폼을 대신하는 맞춤 금형 완충재입니다.', '20,000 pieces', 'Quote per tooling'],
      ['Compostable Bowls (3 sizes)', '퇴비화 가능 볼 (3종)', '12, 24 and 32 oz bowls with fitted lids.', '12, 24, 32oz 볼과 전용 뚜껑입니다.', '30,000 pieces', 'FOB $0.07 / piece'],
      ['Egg Cartons, Recycled Pulp', '재생 펄프 계란판', '6- and 12-egg cartons with a printable lid.', '인쇄 가능한 뚜껑의 6구·12구 계란판입니다.', '50,000 pieces', 'FOB $0.05 / piece'],
    ],
  },
  {
    slug: 'saessak-bio', cat: 'eco-packaging', en: 'Saessak Bio', ko: '새싹바이오', city: 'Ulsan',
    founded: 2016, employees: 35, markets: ['US', 'DE', 'FR', 'JP'], certs: 'TUV OK compost HOME, BPI, EN 13432',
    tagline: ['Home-compostable film and bags', '가정에서 퇴비화되는 필름과 봉투'],
    about: [
      'Saessak Bio compounds and blows PLA/PBAT film in Ulsan\'s petrochemical cluster, turning the region\'s know-how toward materials that break down in a home compost bin within six months.',
      '새싹바이오는 울산 석유화학 단지에서 PLA/PBAT 필름을 컴파운딩하고 블로잉합니다. 지역의 기술력을 가정용 퇴비함에서 6개월 안에 분해되는 소재로 돌렸습니다.',
    ],
    products: [
      ['Compostable Mailer Bags', '퇴비화 택배 봉투', 'Self-sealing mailers in five sizes, printable.', '자가 접착식 택배 봉투 5종, 인쇄 가능합니다.', '10,000 pieces', 'FOB $0.12 / piece'],
      ['Compostable Kitchen Bags', '퇴비화 음식물 봉투', '10 L and 30 L liners for food-waste bins.', '음식물 쓰레기통용 10L·30L 봉투입니다.', '20,000 pieces', 'FOB $0.04 / piece'],
      ['Compostable Cling Film', '퇴비화 랩', 'A 30 m roll in a paper cutter box.', '종이 커터 상자에 든 30m 랩입니다.', '2,000 rolls', 'FOB $2.60 / roll'],
    ],
  },
  {
    slug: 'dasi-upcycle', cat: 'eco-packaging', en: 'Dasi Upcycle', ko: '다시업사이클', city: 'Seoul',
    founded: 2018, employees: 16, markets: ['US', 'JP', 'DE'], certs: 'GRS (Global Recycled Standard), B Corp (pending)',
    tagline: ['Bags from bottles, wallets from seatbelts', '페트병이 가방으로, 안전벨트가 지갑으로'],
    about: [
      'Dasi Upcycle collects PET bottles and scrapped car seatbelts in Seoul and turns them into bags and small goods with a social-enterprise workshop that employs older artisans.',
      '다시업사이클은 서울에서 페트병과 폐차 안전벨트를 모아 가방과 소품으로 만들며, 어르신 장인을 고용하는 사회적 기업 공방과 함께합니다.',
    ],
    products: [
      ['rPET Everyday Tote', 'rPET 데일리 토트', 'Made from 16 recycled bottles, water-repellent.', '페트병 16개로 만든 발수 토트백입니다.', '200 pieces', 'FOB $11.00 / piece'],
      ['Seatbelt Card Wallet', '안전벨트 카드 지갑', 'A slim wallet woven from upcycled seatbelt webbing.', '업사이클 안전벨트 웨빙으로 짠 슬림 지갑입니다.', '200 pieces', 'FOB $9.00 / piece'],
      ['Coffee-Ground Pencil Set', '커피 찌꺼기 연필 세트', 'Pencils with barrels made from recycled coffee grounds.', '재활용 커피 찌꺼기로 몸통을 만든 연필 세트입니다.', '500 sets', 'FOB $3.50 / set of 6'],
      ['Corporate Upcycling Program', '기업 업사이클 프로그램', 'We turn your banners, uniforms or bottles into branded gifts.', '기업의 현수막, 유니폼, 페트병을 브랜드 굿즈로 만들어 드립니다.', '300 pieces', 'Quote on request'],
    ],
  },
  {
    slug: 'soop-pack', cat: 'eco-packaging', en: 'Soop Pack', ko: '숲팩', city: 'Gimpo',
    founded: 2013, employees: 44, markets: ['US', 'CA', 'VN', 'TH'], certs: 'FSC, ISTA 3A tested',
    tagline: ['Paper-only e-commerce packaging', '종이만으로 하는 이커머스 포장'],
    about: [
      'Soop Pack replaces bubble wrap, air pillows and foam ice boxes with paper: honeycomb cushioning, water-activated tape and paper-insulated cold-chain boxes. Our Gimpo plant serves Korea\'s largest e-grocery platforms.',
      '숲팩은 에어캡, 에어 필로, 스티로폼 아이스박스를 종이로 바꿉니다. 허니콤 완충재, 물로 붙이는 테이프, 종이 단열 신선 배송 박스를 만들며 김포 공장에서 국내 대형 신선 식품 플랫폼에 공급합니다.',
    ],
    products: [
      ['Honeycomb Paper Wrap', '허니콤 종이 완충재', 'Expanding kraft honeycomb that replaces bubble wrap; 250 m roll.', '펼치면 벌집 모양이 되는 크라프트 완충재, 250m 롤입니다.', '100 rolls', 'FOB $18.00 / roll'],
      ['Water-Activated Kraft Tape', '물 활성 크라프트 테이프', 'Reinforced gummed tape that bonds with the carton.', '박스와 하나로 붙는 보강 구미 테이프입니다.', '500 rolls', 'FOB $4.20 / roll'],
      ['Paper Insulated Cold-Chain Box', '종이 단열 신선 배송 박스', 'Keeps contents below 8 °C for 24 hours; curbside recyclable.', '24시간 8°C 이하를 유지하며 종이로 분리배출됩니다.', '2,000 boxes', 'FOB $1.60 / box'],
      ['Paper Ice Pack', '종이 아이스팩', 'A water-filled ice pack in a paper pouch; pour and recycle.', '종이 파우치에 물을 채운 아이스팩으로 물은 버리고 종이는 재활용합니다.', '5,000 pieces', 'FOB $0.22 / piece'],
    ],
  },
];

// Staff names: [romanized given + family, Hangul]
const STAFF_NAMES = [
  ['Minjun Kim', '김민준'], ['Seoyeon Lee', '이서연'], ['Jiho Park', '박지호'], ['Hayoon Choi', '최하윤'],
  ['Dohyun Jung', '정도현'], ['Jiwoo Kang', '강지우'], ['Eunji Cho', '조은지'], ['Sungmin Yoon', '윤성민'],
  ['Yejin Jang', '장예진'], ['Hyunwoo Lim', '임현우'], ['Sujin Han', '한수진'], ['Taeyang Oh', '오태양'],
  ['Jiyoung Seo', '서지영'], ['Junho Shin', '신준호'], ['Minseo Kwon', '권민서'], ['Donghyun Hwang', '황동현'],
  ['Soyeon Ahn', '안소연'], ['Jaewon Song', '송재원'], ['Hyejin Yoo', '유혜진'], ['Sangwoo Hong', '홍상우'],
  ['Nayeon Moon', '문나연'], ['Kyungho Baek', '백경호'], ['Dahye Nam', '남다혜'], ['Youngsoo Ko', '고영수'],
];
const STAFF_TITLES = ['Overseas Sales Manager', 'Export Team Lead', 'Global Business Manager', 'CEO',
  'Head of International Sales', 'Business Development Manager'];

const BUYERS = [
  { email: 'buyer1@demo.expo', name: 'Emily Carter', company: 'Northwind Beauty Supply', title: 'Purchasing Director', country: 'US', phone: '+1 213 555 0141' },
  { email: 'buyer2@demo.expo', name: 'Daniel Cho', company: 'Lakeshore Asian Grocers', title: 'Category Manager, Imports', country: 'US', phone: '+1 312 555 0177' },
  { email: 'buyer3@demo.expo', name: 'Sophie Tremblay', company: 'Maple & Home Goods', title: 'Senior Buyer', country: 'CA', phone: '+1 514 555 0102' },
  { email: 'buyer4@demo.expo', name: 'Marcus Johnson', company: 'Lone Star Industrial Supply', title: 'Sourcing Manager', country: 'US', phone: '+1 214 555 0133' },
  { email: 'buyer5@demo.expo', name: 'Grace Nguyen', company: 'Pacific Baby Co.', title: 'Founder & Buyer', country: 'US', phone: '+1 206 555 0190' },
];

// ---------------------------------------------------------------------------------------------
// Helpers

function hash(s) { // FNV-1a, 32-bit: deterministic colours and shapes
  let h = 0x811c9dc5;
  for (const ch of s) { h ^= ch.codePointAt(0); h = Math.imul(h, 0x01000193) >>> 0; }
  return h;
}
const sql = (v) => (v === null || v === undefined ? 'NULL' : typeof v === 'number' ? String(v) : `'${String(v).replace(/'/g, "''")}'`);
const xml = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const ts = ([local, zone]) => `(timestamp ${sql(local)} AT TIME ZONE ${sql(zone)})`;

// Korean particle after a word: batchim decides 은/는, 이/가, 을/를, 과/와.
function josa(word, withBatchim, without) {
  const last = word.trim().slice(-1);
  const code = last.codePointAt(0);
  if (code >= 0xac00 && code <= 0xd7a3) return ((code - 0xac00) % 28 !== 0) ? withBatchim : without;
  if (/[0-9]$/.test(last)) return '013678'.includes(last) ? withBatchim : without;
  if (/[A-Za-z]$/.test(last)) return /[lmnLMN]$/.test(last) ? withBatchim : without;
  return `${withBatchim}(${without})`;
}

function listEn(items) {
  if (items.length <= 1) return items.join('');
  return items.slice(0, -1).join(', ') + ' and ' + items[items.length - 1];
}

function initials(nameEn) {
  const words = nameEn.replace(/[^A-Za-z0-9 ]/g, ' ').split(/\s+/).filter(Boolean);
  const skip = new Set(['and', 'of', 'the', 'co']);
  const sig = words.filter((w) => !skip.has(w.toLowerCase()));
  if (sig.length === 1) return sig[0].slice(0, 2).toUpperCase().replace(/^(.)(.)$/, (m, a, b) => a + b.toLowerCase());
  return (sig[0][0] + sig[1][0]).toUpperCase();
}

function hsl(h, s, l) { return `hsl(${((h % 360) + 360) % 360} ${s}% ${l}%)`; }

// ---------------------------------------------------------------------------------------------
// Derived booth data

const CAT = Object.fromEntries(CATEGORIES.map(([slug, en, ko, hue, icon], i) => [slug, { slug, en, ko, hue, icon, sort: (i + 1) * 10 }]));

function describe(b) {
  const [lfEn, lfKo] = LOOKING_FOR[b.cat];
  const mEn = listEn(b.markets.map((m) => MARKETS[m][0]));
  const mKo = b.markets.map((m) => MARKETS[m][1]).join(', ');
  const cityKo = CITIES[b.city];
  const en = `${b.about[0]}\n\nFounded in ${b.founded} in ${b.city}, ${b.en} has ${b.employees} employees and exports to ${mEn}. Certifications: ${b.certs}.\n\nAt this expo we are looking for ${lfEn} in North America.`;
  const ko = `${b.about[1]}\n\n${b.founded}년 ${cityKo}에서 설립된 ${b.ko}${josa(b.ko, '은', '는')} 임직원 ${b.employees}명 규모이며 ${mKo}에 수출하고 있습니다. 보유 인증: ${b.certs}.\n\n이번 박람회에서는 북미 지역의 ${lfKo}${josa(lfKo, '을', '를')} 찾고 있습니다.`;
  return [en, ko];
}

BOOTHS.forEach((b, i) => {
  if (!CAT[b.cat]) throw new Error(`unknown category ${b.cat}`);
  if (!CITIES[b.city]) throw new Error(`unknown city ${b.city}`);
  if (!/^[a-z0-9][a-z0-9-]{1,62}$/.test(b.slug)) throw new Error(`bad slug ${b.slug}`);
  if (b.products.length < 3 || b.products.length > 6) throw new Error(`${b.slug}: ${b.products.length} products`);
  b.tier = b.tier || 'standard';
  b.tz = b.tz || 'Asia/Seoul';
  b.staff = STAFF_NAMES[i % STAFF_NAMES.length];
  b.staffTitle = STAFF_TITLES[hash(b.slug) % STAFF_TITLES.length];
  b.staffEmail = `staff@${b.slug}.demo.expo`;
  [b.description_en, b.description_ko] = describe(b);
});
if (new Set(BOOTHS.map((b) => b.slug)).size !== BOOTHS.length) throw new Error('duplicate slug');

// Hall order: platinum first, then gold, then standard; inside a tier, the order of the list.
const TIER_BASE = { platinum: 10, gold: 100, standard: 1000 };
const tierCount = { platinum: 0, gold: 0, standard: 0 };
for (const b of BOOTHS) b.sort_order = TIER_BASE[b.tier] + 10 * tierCount[b.tier]++;

// Meeting windows. Korean booths meet in the Korean morning (= North American evening of the
// day before) on the three expo days, some also late in the Korean evening (= NA morning).
// Booths staffed in North America meet during their local business hours.
function windows(b) {
  const h = hash(b.slug);
  const out = [];
  if (b.tz === 'Asia/Seoul') {
    const start = 8 + (h % 3);                // 08:00, 09:00 or 10:00 KST
    const len = b.cat === 'machinery-parts' ? 3 : 3 + ((h >>> 3) % 2);  // 3 or 4 hours; 45-min slots fit 3 h
    const evening = (h >>> 5) % 3 === 0;       // a third also open 22:00-24:00 KST
    for (const day of ['2026-12-09', '2026-12-10', '2026-12-11']) {
      out.push([`${day} ${String(start).padStart(2, '0')}:00`, `${day} ${String(start + len).padStart(2, '0')}:00`]);
    }
    if (evening) {
      for (const [day, next] of [['2026-12-08', '2026-12-09'], ['2026-12-09', '2026-12-10'], ['2026-12-10', '2026-12-11']]) {
        out.push([`${day} 22:00`, `${next} 00:00`]);
      }
    }
  } else {
    for (const day of ['2026-12-08', '2026-12-09', '2026-12-10']) {
      out.push([`${day} 10:00`, `${day} 12:00`], [`${day} 13:30`, `${day} 16:30`]);
    }
  }
  const slot = b.cat === 'machinery-parts' ? 45 : 30;
  return out.map(([s, e]) => ({ s, e, slot }));
}

// ---------------------------------------------------------------------------------------------
// SVG: logos, banners, product tiles

const SHAPES = ['circle', 'rounded', 'hexagon', 'squircle'];

function shapePath(shape, cx, cy, r) {
  switch (shape) {
    case 'circle': return `<circle cx="${cx}" cy="${cy}" r="${r}"/>`;
    case 'rounded': return `<rect x="${cx - r}" y="${cy - r}" width="${2 * r}" height="${2 * r}" rx="${r * 0.28}"/>`;
    case 'hexagon': {
      const pts = [];
      for (let k = 0; k < 6; k++) {
        const a = Math.PI / 6 + (k * Math.PI) / 3;
        pts.push(`${(cx + r * Math.cos(a)).toFixed(1)},${(cy + r * Math.sin(a)).toFixed(1)}`);
      }
      return `<polygon points="${pts.join(' ')}"/>`;
    }
    default: { // squircle
      const k = r * 0.9;
      return `<path d="M${cx} ${cy - r}C${cx + k} ${cy - r} ${cx + r} ${cy - k} ${cx + r} ${cy}S${cx + k} ${cy + r} ${cx} ${cy + r}S${cx - r} ${cy + k} ${cx - r} ${cy}S${cx - k} ${cy - r} ${cx} ${cy - r}Z"/>`;
    }
  }
}

function boothColors(b) {
  const h = hash(b.slug);
  const hue = CAT[b.cat].hue + ((h % 41) - 20);
  return { hue, main: hsl(hue, 55 + (h >>> 8) % 20, 38 + (h >>> 12) % 10), light: hsl(hue, 60, 92), accent: hsl(hue + 30, 70, 60) };
}

function logoSvg(b) {
  const h = hash(b.slug);
  const shape = SHAPES[(h >>> 16) % SHAPES.length];
  const c = boothColors(b);
  const ini = b.mono || initials(b.en);
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 256 256" width="256" height="256" role="img" aria-label="${xml(b.en)} logo">
<title>${xml(b.en)} · ${xml(b.ko)}</title>
<g fill="${c.main}">${shapePath(shape, 128, 116, 100)}</g>
<circle cx="${shape === 'circle' ? 196 : 202}" cy="${shape === 'circle' ? 50 : 44}" r="16" fill="${c.accent}"/>
<text x="128" y="118" text-anchor="middle" dominant-baseline="central" font-family="Helvetica, Arial, sans-serif" font-size="${ini.length > 2 ? 64 : 84}" font-weight="700" letter-spacing="2" fill="#fff">${xml(ini)}</text>
<text x="128" y="244" text-anchor="middle" font-family="'Noto Sans KR', 'Apple SD Gothic Neo', 'Malgun Gothic', sans-serif" font-size="22" font-weight="600" fill="${c.main}">${xml(b.ko)}</text>
</svg>
`;
}

function bannerSvg(b) {
  const c = boothColors(b);
  const id = `g${hash(b.slug) % 100000}`;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1200 300" width="1200" height="300" role="img" aria-label="${xml(b.en)}">
<defs><linearGradient id="${id}" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="${c.main}"/><stop offset="1" stop-color="${hsl(c.hue + 25, 55, 28)}"/></linearGradient></defs>
<rect width="1200" height="300" fill="url(#${id})"/>
<g fill="#fff" opacity="0.08"><circle cx="1040" cy="60" r="170"/><circle cx="1140" cy="260" r="120"/><circle cx="880" cy="300" r="90"/></g>
<text x="64" y="130" font-family="Helvetica, Arial, sans-serif" font-size="56" font-weight="700" fill="#fff">${xml(b.en)}</text>
<text x="64" y="182" font-family="'Noto Sans KR', 'Apple SD Gothic Neo', 'Malgun Gothic', sans-serif" font-size="30" fill="#fff" opacity="0.9">${xml(b.ko)} · ${xml(b.tagline[1])}</text>
<text x="64" y="232" font-family="Helvetica, Arial, sans-serif" font-size="26" fill="#fff" opacity="0.85">${xml(b.tagline[0])}</text>
</svg>
`;
}

function iconSvg(icon, color) {
  // Simple pictograms on a 120x120 grid centred at (60, 60).
  const s = `fill="none" stroke="${color}" stroke-width="6" stroke-linecap="round" stroke-linejoin="round"`;
  switch (icon) {
    case 'bottle': return `<g ${s}><rect x="40" y="40" width="40" height="60" rx="10"/><rect x="50" y="22" width="20" height="18" rx="3"/><line x1="48" y1="62" x2="72" y2="62"/></g>`;
    case 'bowl': return `<g ${s}><path d="M22 60h76a38 38 0 0 1-76 0z"/><path d="M46 46c-6-8 6-12 0-22M62 46c-6-8 6-12 0-22M78 46c-6-8 6-12 0-22"/></g>`;
    case 'capsule': return `<g ${s}><rect x="20" y="44" width="80" height="32" rx="16" transform="rotate(-35 60 60)"/><line x1="50" y1="46" x2="70" y2="74"/></g>`;
    case 'house': return `<g ${s}><path d="M24 58 60 26l36 32"/><path d="M34 50v44h52V50"/><rect x="52" y="70" width="16" height="24"/></g>`;
    case 'pan': return `<g ${s}><circle cx="48" cy="62" r="28"/><line x1="74" y1="50" x2="104" y2="36"/></g>`;
    case 'hanger': return `<g ${s}><path d="M60 44v-6a10 10 0 1 1 10-10"/><path d="M60 44 18 80h84z"/></g>`;
    case 'star': return `<g ${s}><path d="M60 22l11 24 26 3-19 18 5 26-23-13-23 13 5-26-19-18 26-3z"/></g>`;
    case 'gear': return `<g ${s}><circle cx="60" cy="60" r="28" stroke-width="14" stroke-dasharray="11 11"/><circle cx="60" cy="60" r="20"/><circle cx="60" cy="60" r="7"/></g>`;
    case 'chip': return `<g ${s}><rect x="34" y="34" width="52" height="52" rx="6"/><rect x="48" y="48" width="24" height="24" rx="3"/><path d="M46 34V22M60 34V22M74 34V22M46 98V86M60 98V86M74 98V86M34 46H22M34 60H22M34 74H22M98 46H86M98 60H86M98 74H86"/></g>`;
    default: return `<g ${s}><path d="M30 90C30 50 56 28 96 26c0 40-22 66-62 66"/><path d="M30 90 70 50"/></g>`; // leaf
  }
}

function productSvg(b, p, n) {
  const c = boothColors(b);
  const h = hash(`${b.slug}/${n}`);
  const hue = c.hue + ((h % 30) - 15);
  const id = `p${h % 100000}`;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 300" width="400" height="300" role="img" aria-label="${xml(p[0])}">
<defs><linearGradient id="${id}" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${hsl(hue, 60, 95)}"/><stop offset="1" stop-color="${hsl(hue, 50, 84)}"/></linearGradient></defs>
<rect width="400" height="300" fill="url(#${id})"/>
<circle cx="200" cy="120" r="78" fill="#fff" opacity="0.7"/>
<g transform="translate(140 60)">${iconSvg(CAT[b.cat].icon, hsl(hue, 50, 38))}</g>
<text x="200" y="240" text-anchor="middle" font-family="Helvetica, Arial, sans-serif" font-size="${p[0].length > 30 ? 17 : 20}" font-weight="600" fill="${hsl(hue, 45, 25)}">${xml(p[0])}</text>
<text x="200" y="270" text-anchor="middle" font-family="'Noto Sans KR', 'Apple SD Gothic Neo', 'Malgun Gothic', sans-serif" font-size="${p[1].length > 16 ? 15 : 17}" fill="${hsl(hue, 35, 35)}">${xml(p[1])}</text>
</svg>
`;
}

// ---------------------------------------------------------------------------------------------
// Booth media: nothing that leads off this server to a made-up site.
//   - platinum and gold booths: the demo clip /demo/video/booth-intro.webm (served by every node
//     from booth-assets) and their brochures as real PDFs (/demo/brochures/<slug>-<lang>.pdf);
//   - the other booths: their company profile pages (the brochure HTML) as links, per language.
// The PDFs and the clip are made by scripts/gen-demo-media.mjs from these URLs (it reads
// demo.sql), with Chromium: print-to-PDF embeds the Korean font subset.

const DEMO_VIDEO = '/demo/video/booth-intro.webm';

function boothMedia(b) {
  const rich = b.tier === 'platinum' || b.tier === 'gold';
  const m = [];
  if (rich) m.push(['video', 'Company introduction (video)', '회사 소개 영상', DEMO_VIDEO, null]);
  if (rich) {
    m.push(['brochure', 'Company brochure (English, PDF)', '회사 소개서 (영문, PDF)', `/demo/brochures/${b.slug}-en.pdf`, 'en']);
    m.push(['brochure', 'Company brochure (Korean, PDF)', '회사 소개서 (국문, PDF)', `/demo/brochures/${b.slug}-ko.pdf`, 'ko']);
  }
  m.push(['link', 'Company profile (web page, English)', '회사 소개 (웹 페이지, 영문)', `/demo/brochures/${b.slug}-en.html`, 'en']);
  m.push(['link', 'Company profile (web page, Korean)', '회사 소개 (웹 페이지, 국문)', `/demo/brochures/${b.slug}-ko.html`, 'ko']);
  return m;
}

// ---------------------------------------------------------------------------------------------
// Brochures (static HTML, no scripts)

function brochure(b, lang) {
  const ko = lang === 'ko';
  const c = boothColors(b);
  const cat = CAT[b.cat];
  const name = ko ? b.ko : b.en;
  const desc = (ko ? b.description_ko : b.description_en).split('\n\n').map((p) => `<p>${xml(p)}</p>`).join('\n');
  const L = ko
    ? { products: '주요 제품', product: '제품', moq: '최소 주문 수량', price: '가격', contact: '연락처', city: '소재지', founded: '설립', staff: '상담 담당', cat: '분야', emp: '임직원', year: '년', people: '명', note: '이 브로슈어는 K-브랜드 커넥트 2026 온라인 박람회를 위해 제작되었습니다. 모든 가격은 참고용이며 수량과 조건에 따라 달라집니다.' }
    : { products: 'Products', product: 'Product', moq: 'MOQ', price: 'Price', contact: 'Contact', city: 'Location', founded: 'Founded', staff: 'Your contact', cat: 'Category', emp: 'Employees', year: '', people: '', note: 'Prepared for K-Brands Connect 2026. Prices are indicative and depend on quantity and terms.' };
  const rows = b.products.map((p, i) => `<tr><td><img src="../products/${b.slug}-${i + 1}.svg" alt="" width="80" height="60"></td><td><strong>${xml(ko ? p[1] : p[0])}</strong><br><span class="sub">${xml(ko ? p[0] : p[1])}</span><br>${xml(ko ? p[3] : p[2])}</td><td>${xml(p[4])}</td><td>${xml(p[5])}</td></tr>`).join('\n');
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${xml(name)} · ${ko ? '회사 소개서' : 'Company brochure'}</title>
<style>
body{font-family:${ko ? "'Noto Sans KR','Apple SD Gothic Neo','Malgun Gothic'," : ''}system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:0;color:#1d232b;background:#f4f5f7;line-height:1.55}
main{max-width:860px;margin:0 auto;background:#fff;min-height:100vh}
header{display:flex;gap:24px;align-items:center;padding:32px 40px;background:${c.main};color:#fff}
header img{width:96px;height:96px;background:#fff;border-radius:16px;padding:6px}
h1{margin:0;font-size:30px}header p{margin:4px 0 0;opacity:.9}
section{padding:8px 40px 24px}h2{color:${c.main};border-bottom:2px solid ${c.light};padding-bottom:6px}
dl{display:grid;grid-template-columns:max-content 1fr;gap:6px 18px}dt{color:#5b6472}dd{margin:0}
table{border-collapse:collapse;width:100%}td{border-top:1px solid #e3e6ea;padding:10px 8px;vertical-align:top}
th{text-align:left;font-size:13px;color:#5b6472;padding:6px 8px}.sub{color:#5b6472;font-size:13px}
footer{padding:16px 40px 40px;color:#5b6472;font-size:13px}
@media print{body{background:#fff}header{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
</style>
</head>
<body>
<main>
<header>
<img src="../logos/${b.slug}.svg" alt="">
<div><h1>${xml(name)}</h1><p>${xml(ko ? b.tagline[1] : b.tagline[0])}</p></div>
</header>
<section>
${desc}
<dl>
<dt>${L.cat}</dt><dd>${xml(ko ? cat.ko : cat.en)}</dd>
<dt>${L.city}</dt><dd>${xml(ko ? CITIES[b.city] : b.city)}, ${ko ? '대한민국' : 'Korea'}</dd>
<dt>${L.founded}</dt><dd>${b.founded}${L.year}</dd>
<dt>${L.emp}</dt><dd>${b.employees}${L.people}</dd>
</dl>
</section>
<section>
<h2>${L.products}</h2>
<table>
<tr><th></th><th>${L.product}</th><th>${L.moq}</th><th>${L.price}</th></tr>
${rows}
</table>
</section>
<section>
<h2>${L.contact}</h2>
<dl>
<dt>${L.staff}</dt><dd>${xml(ko ? `${b.staff[1]} (${b.staffTitle})` : `${b.staff[0]}, ${b.staffTitle}`)} · ${xml(b.staffEmail)}</dd>
</dl>
</section>
<footer>${xml(L.note)}</footer>
</main>
</body>
</html>
`;
}

// ---------------------------------------------------------------------------------------------
// demo.sql

function demoSql() {
  const out = [];
  const w = (s) => out.push(s);
  w('-- server/db/demo.sql: the demo expo, loaded by `boothd --demo` into a database without booths.');
  w('-- GENERATED by scripts/gen-demo.mjs: edit the generator, not this file.');
  w('-- One DO block, run as one simple-query script in one transaction. boothd sets');
  w('-- boothd.demo_password_hash (argon2id of the demo password) in the same transaction.');
  w('DO $demo$');
  w('DECLARE');
  w('  pw        text;');
  w('  v_company bigint;');
  w('  v_booth   bigint;');
  w('  v_staff   bigint;');
  w('  v_org     bigint;');
  w('BEGIN');
  w('  PERFORM pg_advisory_xact_lock(7263002);');
  w('  IF EXISTS (SELECT 1 FROM booths) THEN');
  w('    RETURN;');
  w('  END IF;');
  w("  pw := current_setting('boothd.demo_password_hash', true);");
  w("  IF pw IS NULL OR pw = '' THEN");
  w("    RAISE EXCEPTION 'demo.sql: boothd.demo_password_hash is not set';");
  w('  END IF;');
  w('');
  w('  UPDATE expo SET');
  w(`    name_en = ${sql(EXPO.name_en)}, name_ko = ${sql(EXPO.name_ko)},`);
  w(`    tagline_en = ${sql(EXPO.tagline_en)},`);
  w(`    tagline_ko = ${sql(EXPO.tagline_ko)},`);
  w(`    organizer_name = ${sql(EXPO.organizer_name)}, website = ${sql(EXPO.website)},`);
  w(`    starts_at = ${ts(EXPO.starts_at)}, ends_at = ${ts(EXPO.ends_at)},`);
  w(`    time_zone = ${sql(EXPO.time_zone)}, updated_at = now();`);
  w('');
  w('  INSERT INTO categories (slug, name_en, name_ko, sort_order) VALUES');
  w(CATEGORIES.map(([slug, en, ko], i) => `    (${sql(slug)}, ${sql(en)}, ${sql(ko)}, ${(i + 1) * 10})`).join(',\n') + ';');
  w('');
  w('  INSERT INTO accounts (email, password_hash, name, company, title, country, lang, role)');
  w(`  VALUES ('organizer@demo.expo', pw, 'Expo Organizer', ${sql(EXPO.organizer_name)}, 'Expo Operations', 'US', 'en', 'organizer')`);
  w('  RETURNING id INTO v_org;');
  w('  INSERT INTO accounts (email, password_hash, name, company, title, country, phone, lang, role) VALUES');
  w(BUYERS.map((u) => `    (${sql(u.email)}, pw, ${sql(u.name)}, ${sql(u.company)}, ${sql(u.title)}, ${sql(u.country)}, ${sql(u.phone)}, 'en', 'visitor')`).join(',\n') + ';');
  w('');
  w('  INSERT INTO announcements (author_id, booth_id, title, body, lang) VALUES');
  w(`    (v_org, NULL, ${sql('Welcome to K-Brands Connect 2026')}, ${sql(`${BOOTHS.length} Korean companies are online for three days. Visit a booth to chat with its team live, and book a 1:1 meeting: times are shown in your own time zone and the company\'s.`)}, 'en'),`);
  w(`    (v_org, NULL, ${sql('K-브랜드 커넥트 2026에 오신 것을 환영합니다')}, ${sql(`${BOOTHS.length}개 한국 기업이 사흘 동안 온라인으로 참가합니다. 부스에 들어가 실시간으로 상담하고, 1:1 미팅을 예약해 보세요. 시간은 바이어와 기업의 시간대로 함께 표시됩니다.`)}, 'ko');`);
  for (const b of BOOTHS) {
    const cityKo = CITIES[b.city];
    w('');
    w(`  -- ${b.slug}`);
    w('  INSERT INTO companies (name_en, name_ko, country, city, city_ko, website, founded_year, employees, export_markets, certifications)');
    w(`  VALUES (${sql(b.en)}, ${sql(b.ko)}, 'KR', ${sql(b.city)}, ${sql(cityKo)}, NULL, ${b.founded}, ${b.employees}, ${sql(b.markets.join(','))}, ${sql(b.certs)})`);
    w('  RETURNING id INTO v_company;');
    w('  INSERT INTO booths (slug, company_id, category_id, name_en, name_ko, tagline_en, tagline_ko, description_en, description_ko,');
    w('                      logo_url, banner_url, tier, sort_order, time_zone, video_call_url)');
    w(`  VALUES (${sql(b.slug)}, v_company, (SELECT id FROM categories WHERE slug = ${sql(b.cat)}), ${sql(b.en)}, ${sql(b.ko)},`);
    w(`          ${sql(b.tagline[0])}, ${sql(b.tagline[1])},`);
    w(`          ${sql(b.description_en)},`);
    w(`          ${sql(b.description_ko)},`);
    w(`          ${sql(`/demo/logos/${b.slug}.svg`)}, ${sql(`/demo/banners/${b.slug}.svg`)}, ${sql(b.tier)}, ${b.sort_order}, ${sql(b.tz)}, NULL)`);
    w('  RETURNING id INTO v_booth;');
    w('  INSERT INTO products (booth_id, name_en, name_ko, description_en, description_ko, image_url, moq, price_note, sort_order) VALUES');
    w(b.products.map((p, i) => `    (v_booth, ${sql(p[0])}, ${sql(p[1])}, ${sql(p[2])}, ${sql(p[3])}, ${sql(`/demo/products/${b.slug}-${i + 1}.svg`)}, ${sql(p[4])}, ${sql(p[5])}, ${(i + 1) * 10})`).join(',\n') + ';');
    w('  INSERT INTO booth_media (booth_id, kind, title_en, title_ko, url, lang, sort_order) VALUES');
    w(boothMedia(b).map((m, i) => `    (v_booth, ${sql(m[0])}, ${sql(m[1])}, ${sql(m[2])}, ${sql(m[3])}, ${m[4] ? sql(m[4]) : 'NULL'}, ${(i + 1) * 10})`).join(',\n') + ';');
    w('  INSERT INTO accounts (email, password_hash, name, company, title, country, lang, role)');
    w(`  VALUES (${sql(b.staffEmail)}, pw, ${sql(`${b.staff[0]} (${b.staff[1]})`)}, ${sql(b.en)}, ${sql(b.staffTitle)}, 'KR', 'ko', 'exhibitor')`);
    w('  RETURNING id INTO v_staff;');
    w("  INSERT INTO booth_staff (booth_id, account_id, staff_role) VALUES (v_booth, v_staff, 'owner');");
    w('  INSERT INTO meeting_availability (booth_id, starts_at, ends_at, slot_minutes) VALUES');
    w(windows(b).map((x) => `    (v_booth, ${ts([x.s, b.tz])}, ${ts([x.e, b.tz])}, ${x.slot})`).join(',\n') + ';');
  }
  w('END');
  w('$demo$;');
  return out.join('\n') + '\n';
}

// ---------------------------------------------------------------------------------------------
// Write everything

function writeDir(dir, files) {
  const abs = join(ROOT, dir);
  mkdirSync(abs, { recursive: true });
  const keep = new Set(Object.keys(files));
  for (const f of readdirSync(abs)) if (!keep.has(f)) rmSync(join(abs, f)); // drop stale outputs
  for (const [name, text] of Object.entries(files)) writeFileSync(join(abs, name), text);
}

const text = demoSql();
if (text.split('$demo$').length !== 3) throw new Error('$demo$ inside the data');
writeFileSync(join(ROOT, 'server/db/demo.sql'), text);

const logos = {}, banners = {}, products = {}, brochures = {};
for (const b of BOOTHS) {
  logos[`${b.slug}.svg`] = logoSvg(b);
  banners[`${b.slug}.svg`] = bannerSvg(b);
  b.products.forEach((p, i) => { products[`${b.slug}-${i + 1}.svg`] = productSvg(b, p, i + 1); });
  brochures[`${b.slug}-en.html`] = brochure(b, 'en');
  brochures[`${b.slug}-ko.html`] = brochure(b, 'ko');
}
writeDir('booth-assets/demo/logos', logos);
writeDir('booth-assets/demo/banners', banners);
writeDir('booth-assets/demo/products', products);
writeDir('booth-assets/demo/brochures', brochures);

const nProducts = BOOTHS.reduce((n, b) => n + b.products.length, 0);
console.log(`demo: ${BOOTHS.length} booths, ${CATEGORIES.length} categories, ${nProducts} products, ` +
  `${BOOTHS.length + 1 + BUYERS.length} accounts -> server/db/demo.sql, booth-assets/demo/`);
