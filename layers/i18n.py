"""The translation layer: every user-visible string in Kazakh, Russian and English."""

from __future__ import annotations

from babel.numbers import format_decimal

from layers.escape import plain_text

LANGS: tuple[str, ...] = ("kk", "ru", "en")
DEFAULT_LANG = "ru"

_T: dict[str, dict[str, str]] = {
    # Vocabulary of the catalogue.
    "kind.creative_cluster": {
        "kk": "Креативті кластер",
        "ru": "Креативный кластер",
        "en": "Creative cluster",
    },
    "kind.creative_hub": {"kk": "Креативті хаб", "ru": "Креативный хаб", "en": "Creative hub"},
    "kind.it_hub": {"kk": "IT-хаб", "ru": "IT-хаб", "en": "IT hub"},
    "kind.studio": {"kk": "Студия", "ru": "Студия", "en": "Studio"},
    "kind.arts_centre": {"kk": "Өнер орталығы", "ru": "Арт-центр", "en": "Arts centre"},
    "kind.pedestrian_zone": {
        "kk": "Жаяу жүргінші аймағы",
        "ru": "Пешеходная зона",
        "en": "Pedestrian zone",
    },
    "kind.business_centre": {
        "kk": "Іскерлік орталық",
        "ru": "Деловой центр",
        "en": "Business centre",
    },
    "kind.landmark": {"kk": "Бағдар нысан", "ru": "Ориентир", "en": "Context landmark"},
    "kind.theatre": {"kk": "Театр", "ru": "Театр", "en": "Theatre"},
    "kind.museum": {"kk": "Мұражай", "ru": "Музей", "en": "Museum"},
    "kind.gallery": {"kk": "Галерея", "ru": "Галерея", "en": "Gallery"},
    "kind.library": {"kk": "Кітапхана", "ru": "Библиотека", "en": "Library"},
    "kind.cinema": {"kk": "Кинотеатр", "ru": "Кинотеатр", "en": "Cinema"},
    "kind.music_venue": {"kk": "Музыка алаңы", "ru": "Музыкальная площадка", "en": "Music venue"},
    "kind.coworking": {"kk": "Коворкинг", "ru": "Коворкинг", "en": "Coworking space"},
    "kind.community_centre": {
        "kk": "Қоғамдық орталық",
        "ru": "Общественный центр",
        "en": "Community centre",
    },
    "kind.concert_hall": {"kk": "Концерт залы", "ru": "Концертный зал", "en": "Concert hall"},
    "kind.palace_of_culture": {
        "kk": "Мәдениет сарайы",
        "ru": "Дворец культуры",
        "en": "Palace of culture",
    },
    "kind.arts_education": {
        "kk": "Өнер оқу орны",
        "ru": "Учебное заведение в сфере искусств",
        "en": "Arts school",
    },
    "status.existing": {"kk": "Жұмыс істейді", "ru": "Существует", "en": "Existing"},
    "status.under_reconstruction": {
        "kk": "Қайта жаңартылуда",
        "ru": "На реконструкции",
        "en": "Under reconstruction",
    },
    "status.closed": {"kk": "Жабық", "ru": "Закрыто", "en": "Closed"},
    "status.under_construction": {
        "kk": "Салынып жатыр",
        "ru": "Строится",
        "en": "Under construction",
    },
    "status.planned": {"kk": "Жоспарланған", "ru": "Запланировано", "en": "Planned"},
    "status.announced": {"kk": "Жарияланған", "ru": "Объявлено", "en": "Announced"},
    "status.proposed": {"kk": "Ұсынылған", "ru": "Предложено", "en": "Proposed"},
    "bank.left": {"kk": "Сол жағалау", "ru": "Левый берег", "en": "Left bank"},
    "bank.right": {"kk": "Оң жағалау", "ru": "Правый берег", "en": "Right bank"},
    "city.astana": {"kk": "Астана", "ru": "Астана", "en": "Astana"},
    "city.almaty": {"kk": "Алматы", "ru": "Алматы", "en": "Almaty"},
    "city.both": {"kk": "Екі қала", "ru": "Оба города", "en": "Both cities"},
    "district.Yesil": {"kk": "Есіл ауданы", "ru": "Есильский район", "en": "Yesil district"},
    "district.Nura": {"kk": "Нұра ауданы", "ru": "район Нура", "en": "Nura district"},
    "district.Almaly": {"kk": "Алмалы ауданы", "ru": "Алмалинский район", "en": "Almaly district"},
    "district.Alatau": {"kk": "Алатау ауданы", "ru": "Алатауский район", "en": "Alatau district"},
    "district.Auezov": {"kk": "Әуезов ауданы", "ru": "Ауэзовский район", "en": "Auezov district"},
    "district.Bostandyk": {
        "kk": "Бостандық ауданы",
        "ru": "Бостандыкский район",
        "en": "Bostandyk district",
    },
    "district.Zhetysu": {"kk": "Жетісу ауданы", "ru": "Жетысуский район", "en": "Zhetysu district"},
    "district.Medeu": {"kk": "Медеу ауданы", "ru": "Медеуский район", "en": "Medeu district"},
    "district.Nauryzbay": {
        "kk": "Наурызбай ауданы",
        "ru": "Наурызбайский район",
        "en": "Nauryzbay district",
    },
    "district.Turksib": {
        "kk": "Түрксіб ауданы",
        "ru": "Турксибский район",
        "en": "Turksib district",
    },
    "district.Almaty": {"kk": "Алматы ауданы", "ru": "район Алматы", "en": "Almaty district"},
    "district.Baikonur": {
        "kk": "Байқоңыр ауданы",
        "ru": "район Байконур",
        "en": "Baikonur district",
    },
    "district.Saryarka": {
        "kk": "Сарыарқа ауданы",
        "ru": "район Сарыарка",
        "en": "Saryarka district",
    },
    "district.Saraishyk": {
        "kk": "Сарайшық ауданы",
        "ru": "район Сарайшык",
        "en": "Saraishyk district",
    },
    "unknown": {"kk": "белгісіз", "ru": "неизвестно", "en": "unknown"},
    "year.unknown": {"kk": "мерзімі жоқ", "ru": "без срока", "en": "no target year"},
    # Map.
    "map.exact": {"kk": "Орны: ±{m} м", "ru": "Местоположение: ±{m} м", "en": "Position: ±{m} m"},
    "map.approx": {
        "kk": "Шамамен орны: {m} м шегінде",
        "ru": "Примерное местоположение: в пределах {m} м",
        "en": "Approximate location: within about {m} m",
    },
    "map.tiles_failed": {
        "kk": "Негізгі карта жүктелмеді (интернет жоқ па?). Бүйір панельде «Негізсіз» таңдаңыз: нысандар мен контекст қабаттары көрінеді.",
        "ru": "Подложка не загрузилась (нет интернета?). Выберите «Без подложки» на боковой панели: объекты и контурные слои видны и без неё.",
        "en": "Basemap tiles could not load (no internet?). Choose “No tiles” in the sidebar: places and context layers show without them.",
    },
    "map.stack_title": {
        "kk": "Осы нүктедегі орындар",
        "ru": "Места в этой точке",
        "en": "Places at this point",
    },
    "map.stack_hint": {
        "kk": "Әрқайсысын көру үшін басыңыз",
        "ru": "Нажмите, чтобы показать каждое",
        "en": "Click to show each one",
    },
    "map.layer_failed": {
        "kk": "«{layer}» қабаты жүктелмеді. Бетті жаңартыңыз.",
        "ru": "Слой «{layer}» не загрузился. Обновите страницу.",
        "en": "Layer “{layer}” could not be loaded. Reload the page.",
    },
    # Page.
    "app.title": {
        "kk": "Астана мен Алматының креативті кеңістіктері",
        "ru": "Креативные пространства Астаны и Алматы",
        "en": "Creative spaces of Astana and Almaty",
    },
    "app.subtitle": {
        "kk": "Кластерлер, хабтар, студиялар, театрлар, мұражайлар, галереялар мен Арбат аймақтары: бар және жоспарланған. Әр жазбада дереккөз бен орынның дәлдігі көрсетілген.",
        "ru": "Кластеры, хабы, студии, театры, музеи, галереи и зоны «Арбат»: существующие и планируемые. У каждой записи указаны источник и точность местоположения.",
        "en": "Clusters, hubs, studios, theatres, museums, galleries and Arbat zones, existing and planned. Every record shows its source and how exact its location is.",
    },
    "ui.language": {"kk": "Тіл", "ru": "Язык", "en": "Language"},
    "ui.city": {"kk": "Қала", "ru": "Город", "en": "City"},
    "ui.filters": {"kk": "Сүзгілер", "ru": "Фильтры", "en": "Filters"},
    "ui.kind": {"kk": "Түрі", "ru": "Тип", "en": "Kind"},
    "ui.status": {"kk": "Мәртебесі", "ru": "Статус", "en": "Status"},
    "ui.bank": {"kk": "Есіл жағалауы", "ru": "Берег Есиля", "en": "Bank of the Esil"},
    "ui.bank_help": {
        "kk": "Тек Астанаға қатысты: жағалау таңдалса, Алматы нысандары жасырылады.",
        "ru": "Только для Астаны: пока выбран берег, объекты Алматы скрыты.",
        "en": "Astana only: while a bank is chosen, Almaty places are hidden.",
    },
    "ui.district": {"kk": "Аудан", "ru": "Район", "en": "District"},
    "ui.year": {"kk": "Мақсатты жыл", "ru": "Целевой год", "en": "Target year"},
    "ui.all": {"kk": "Барлығы", "ru": "Все", "en": "All"},
    "ui.layers": {"kk": "Қабаттар", "ru": "Слои", "en": "Layers"},
    "ui.basemap": {"kk": "Негізгі карта", "ru": "Подложка", "en": "Basemap"},
    "ui.basemap.osm": {
        "kk": "OpenStreetMap (интернет керек)",
        "ru": "OpenStreetMap (нужен интернет)",
        "en": "OpenStreetMap (needs internet)",
    },
    "ui.basemap.none": {
        "kk": "Негізсіз (офлайн)",
        "ru": "Без подложки (офлайн)",
        "en": "No tiles (offline)",
    },
    "ui.context_missing": {
        "kk": "Контекст қабаттары (қала шекарасы, өзен) орнатылмаған: README қараңыз.",
        "ru": "Контурные слои (граница города, река) не установлены: см. README.",
        "en": "Context layers (city outline, river) are not installed: see the README.",
    },
    "ui.matching": {
        "kk": "Сүзгіге {total} нысанның {n} сәйкес келеді",
        "ru": "Фильтрам соответствуют {n} из {total} объектов",
        "en": "{n} of {total} places match the filters",
    },
    "ui.in_view": {"kk": "Картадағы нысандар", "ru": "Объекты на карте", "en": "Places in view"},
    "ui.in_view_count": {
        "kk": "Көріністе: {n}",
        "ru": "В видимой области: {n}",
        "en": "In view: {n}",
    },
    "ui.more": {
        "kk": "тағы {n}: көру үшін жақындатыңыз",
        "ru": "и ещё {n}: приблизьте карту, чтобы увидеть",
        "en": "and {n} more: zoom in to see them",
    },
    "ui.none_in_view": {
        "kk": "Бұл аймақта сүзгіге сәйкес нысан жоқ.",
        "ru": "В этой области нет объектов, подходящих под фильтры.",
        "en": "No places matching the filters in this part of the map.",
    },
    "ui.unplaced": {
        "kk": "Орны расталмаған",
        "ru": "Местоположение не подтверждено",
        "en": "Location not confirmed",
    },
    "ui.unplaced_note": {
        "kk": "Бұл нысандардың орны дереккөздерде жоқ, сондықтан олар картада көрсетілмейді.",
        "ru": "Координат этих объектов нет в источниках, поэтому на карте они не показаны.",
        "en": "Our sources give no position for these places, so they are not drawn on the map.",
    },
    "ui.card": {"kk": "Нысан туралы", "ru": "Карточка объекта", "en": "Place card"},
    "ui.card_hint": {
        "kk": "Картада немесе тізімде нысанды таңдаңыз.",
        "ru": "Выберите объект на карте или в списке.",
        "en": "Pick a place on the map or in the list.",
    },
    "ui.close_card": {"kk": "Жабу", "ru": "Закрыть", "en": "Close"},
    "ui.names": {"kk": "Атауы", "ru": "Названия", "en": "Names"},
    "ui.what": {"kk": "Не бұл", "ru": "Что это", "en": "What it is"},
    "ui.status_undated": {
        "kk": "{status} (дереккөздер күнін көрсетпейді)",
        "ru": "{status} (дата в источниках не указана)",
        "en": "{status} (no date in the sources)",
    },
    "ui.status_as_of": {
        "kk": "{status} ({date} жағдай бойынша)",
        "ru": "{status} (на {date})",
        "en": "{status} (as of {date})",
    },
    "ui.announced": {"kk": "Жарияланды", "ru": "Объявлено", "en": "Announced"},
    "ui.area": {"kk": "Ауданы", "ru": "Площадь", "en": "Area"},
    "ui.area_value": {
        "kk": "{ha} га ({m2} м²)",
        "ru": "{ha} га ({m2} м²)",
        "en": "{ha} ha ({m2} m²)",
    },
    "ui.location": {"kk": "Орны", "ru": "Местоположение", "en": "Location"},
    "card.location_exact": {
        "kk": "±{m} м дәлдікпен",
        "ru": "с точностью ±{m} м",
        "en": "accurate to ±{m} m",
    },
    "card.location_approx": {
        "kk": "шамамен, {m} м шегінде",
        "ru": "примерное, в пределах {m} м",
        "en": "approximate, within about {m} m",
    },
    "card.location_unknown": {
        "kk": "расталмаған, картада көрсетілмейді",
        "ru": "не подтверждено, на карте не показано",
        "en": "not confirmed, not drawn on the map",
    },
    "ui.location_unknown": {
        "kk": "Орны расталмаған: картада көрсетілмейді.",
        "ru": "Местоположение не подтверждено: на карте не показано.",
        "en": "Location not confirmed: not drawn on the map.",
    },
    "ui.source": {"kk": "Дереккөз", "ru": "Источник", "en": "Source"},
    "ui.other_sources": {
        "kk": "Басқа дереккөздер",
        "ru": "Другие источники",
        "en": "Other sources",
    },
    "ui.no_link": {
        "kk": "сілтеме жазылмаған",
        "ru": "ссылка не записана",
        "en": "link not recorded",
    },
    "ui.checked": {"kk": "Тексерілді: {date}", "ru": "Проверено: {date}", "en": "Checked: {date}"},
    "ui.legend": {"kk": "Шартты белгілер", "ru": "Легенда", "en": "Legend"},
    "legend.range": {"kk": "{low} – {high}", "ru": "{low} – {high}", "en": "{low} – {high}"},
    "ui.legend_solid": {
        "kk": "Толық бояу: жұмыс істейді",
        "ru": "Сплошная заливка: существует",
        "en": "Solid fill: existing",
    },
    "ui.legend_hollow": {
        "kk": "Ашық бояу: әзірге жұмыс істемейді (жоспар, ұсыныс, құрылыс, қайта жаңарту, жабық)",
        "ru": "Светлая заливка: сейчас не работает (план, предложение, стройка, реконструкция, закрыто)",
        "en": "Light fill: not open now (planned, proposed, being built or rebuilt, closed)",
    },
    "ui.legend_approx": {
        "kk": "Үзік шеңбер: орны шамамен, шеңбер қателік радиусын көрсетеді",
        "ru": "Пунктирный круг: примерное место, круг показывает возможную ошибку",
        "en": "Dashed circle: approximate location; the circle shows how far off it may be",
    },
    "ui.share": {
        "kk": "Мекенжай жолы осы көріністі сақтайды: бөлісу үшін көшіріңіз.",
        "ru": "Адресная строка хранит этот вид: скопируйте её, чтобы поделиться.",
        "en": "The address bar holds this view: copy it to share.",
    },
    "ui.ignored_param": {
        "kk": "Сілтемедегі {param}={value} елемеді: {why}",
        "ru": "Параметр ссылки {param}={value} пропущен: {why}",
        "en": "Ignored {param}={value} from the link: {why}",
    },
    "ui.why_n": {
        "kk": "1-ден 50-ге дейінгі бүтін сан болуы керек",
        "ru": "нужно целое число от 1 до 50",
        "en": "must be a whole number from 1 to 50",
    },
    "ui.why_flag": {
        "kk": "1 (иә) немесе 0 (жоқ) болуы керек",
        "ru": "допустимо 1 (да) или 0 (нет)",
        "en": "must be 1 (yes) or 0 (no)",
    },
    "ui.why_radius": {
        "kk": "1, 2 немесе 5 (км) болуы керек",
        "ru": "допустимо 1, 2 или 5 (км)",
        "en": "must be 1, 2 or 5 (km)",
    },
    "ui.mode": {"kk": "Режим", "ru": "Режим", "en": "Mode"},
    "ui.mode.map": {
        "kk": ":material/map: Карта",
        "ru": ":material/map: Карта",
        "en": ":material/map: Map",
    },
    "ui.mode.near": {
        "kk": ":material/near_me: Жанымда",
        "ru": ":material/near_me: Рядом со мной",
        "en": ":material/near_me: Near me",
    },
    "ui.legend_venue": {
        "kk": "Жұмыс істеп тұрған орын (OpenStreetMap)",
        "ru": "Действующая площадка (OpenStreetMap)",
        "en": "Existing venue (OpenStreetMap)",
    },
    # Near me.
    "near.title": {
        "kk": "Жақын жердегі креативті кеңістіктер",
        "ru": "Креативные пространства рядом",
        "en": "Creative spaces near you",
    },
    "near.search_label": {
        "kk": "Қай жердесіз? Орын атауы, мекенжай немесе КЕҢДІК,БОЙЛЫҚ",
        "ru": "Где вы? Название места, адрес или ШИРОТА,ДОЛГОТА",
        "en": "Where are you? A place name, an address or LAT,LON",
    },
    "near.search_placeholder": {
        "kk": "мысалы: Бәйтерек",
        "ru": "например: Байтерек",
        "en": "for example: Baiterek",
    },
    "near.search_button": {"kk": "Іздеу", "ru": "Найти", "en": "Search"},
    "near.found_unplaced": {
        "kk": "Табылды, бірақ орны белгісіз: {names}. Жақын жерлерді осыдан өлшеу мүмкін емес. Жақын жердің атын, мекенжайды немесе КЕҢДІК,БОЙЛЫҚ жазып көріңіз.",
        "ru": "Найдено, но местоположение неизвестно: {names}. Отсюда ближайшие места не измерить. Введите соседнее место, адрес или ШИРОТА,ДОЛГОТА.",
        "en": "Found, but with no known position: {names}. The nearest places cannot be measured from there. Try a place nearby, an address or LAT,LON.",
    },
    "near.found_unplaced_keep": {
        "kk": "Табылды, бірақ орны белгісіз: {names}. Жақын жерлерді осыдан өлшеу мүмкін емес; төмендегі тізім әлі де алдыңғы орныңыздан есептелген.",
        "ru": "Найдено, но местоположение неизвестно: {names}. Отсюда ближайшие места не измерить; список ниже — по-прежнему от вашей предыдущей точки.",
        "en": "Found, but with no known position: {names}. The nearest places cannot be measured from there; the list below is still from your previous position.",
    },
    "near.matches_unplaced": {
        "kk": "Сондай-ақ табылды, орны белгісіз (картада жоқ):",
        "ru": "Также найдено, местоположение неизвестно (нет на карте):",
        "en": "Also found, position not known (not on the map):",
    },
    "near.matches": {
        "kk": "Табылғаны: біреуін таңдаңыз",
        "ru": "Найдено: выберите одно",
        "en": "Found: pick one",
    },
    "near.origin.places": {"kk": "каталог", "ru": "каталог", "en": "catalogue"},
    "near.origin.osm_venues": {"kk": "OpenStreetMap", "ru": "OpenStreetMap", "en": "OpenStreetMap"},
    "near.origin.landmark": {
        "kk": "бағдар (OpenStreetMap)",
        "ru": "ориентир (OpenStreetMap)",
        "en": "landmark (OpenStreetMap)",
    },
    "near.origin.street": {
        "kk": "көше (OpenStreetMap)",
        "ru": "улица (OpenStreetMap)",
        "en": "street (OpenStreetMap)",
    },
    "near.origin.geocoder": {
        "kk": "онлайн іздеу (Nominatim)",
        "ru": "онлайн-поиск (Nominatim)",
        "en": "online search (Nominatim)",
    },
    "near.how": {
        "kk": "Немесе картаны басыңыз, картадағы «Мен қайдамын?» батырмасын қолданыңыз, не near=КЕҢДІК,БОЙЛЫҚ сілтемесін ашыңыз.",
        "ru": "Или нажмите на карту, кнопку «Где я?» на карте, либо откройте ссылку с near=ШИРОТА,ДОЛГОТА.",
        "en": "Or click the map, use “Where am I?” on the map, or open a link with near=LAT,LON.",
    },
    "near.err.format": {
        "kk": "Бұл орын емес: КЕҢДІК,БОЙЛЫҚ түрінде жазыңыз, мысалы 51.128,71.430.",
        "ru": "Это не координаты: укажите ШИРОТА,ДОЛГОТА, например 51.128,71.430.",
        "en": "That is not a position: write it as LAT,LON, for example 51.128,71.430.",
    },
    "near.err.latitude": {
        "kk": "Ендік −90 пен 90 аралығында болуы керек.",
        "ru": "Широта должна быть от −90 до 90.",
        "en": "Latitude must be between −90 and 90.",
    },
    "near.err.longitude": {
        "kk": "Бойлық −180 мен 180 аралығында болуы керек.",
        "ru": "Долгота должна быть от −180 до 180.",
        "en": "Longitude must be between −180 and 180.",
    },
    "near.err.outside": {
        "kk": "Бұл нүкте Астана мен Алматыдан тыс: карта тек осы екі қаланы қамтиды.",
        "ru": "Эта точка вне Астаны и Алматы: карта охватывает только эти два города.",
        "en": "That point is outside Astana and Almaty: this map covers only those two cities.",
    },
    "near.err.empty": {
        "kk": "Іздеу үшін орын атауын немесе мекенжайды жазыңыз.",
        "ru": "Введите название места или адрес, чтобы искать.",
        "en": "Type a place name or an address to search.",
    },
    "near.err.too_long": {
        "kk": "Іздеу мәтіні тым ұзын: ең көбі {chars} таңба және {words} сөз. "
        "Орын атауын немесе мекенжайды жазыңыз.",
        "ru": "Слишком длинный запрос: не больше {chars} символов и {words} слов. "
        "Введите название места или адрес.",
        "en": "The search text is too long: at most {chars} characters and {words} words. "
        "Type a place name or an address.",
    },
    "near.err.nothing_online_timed_out": {
        "kk": "«{q}» бойынша ештеңе табылмады, ал онлайн іздеу {s} секунд ішінде жауап бермей, "
        "тоқтатылды. Кейінірек қайталап көріңіз немесе картаны басыңыз.",
        "ru": "По запросу «{q}» ничего не найдено, а онлайн-поиск не ответил за {s} с и был "
        "остановлен. Попробуйте позже или нажмите на карту.",
        "en": "Nothing found for “{q}”, and the online search did not answer within {s} s, "
        "so it was stopped. Try again later, or click the map.",
    },
    "near.err.nothing_online_too_large": {
        "kk": "«{q}» бойынша ештеңе табылмады, ал онлайн іздеудің жауабы тым үлкен болғандықтан "
        "қабылданбады. Басқаша жазып көріңіз немесе картаны басыңыз.",
        "ru": "По запросу «{q}» ничего не найдено, а ответ онлайн-поиска оказался слишком "
        "большим и был отклонён. Попробуйте другое написание или нажмите на карту.",
        "en": "Nothing found for “{q}”, and the online search sent an answer too large to "
        "accept. Try another spelling, or click the map.",
    },
    "near.err.nothing_online_failed": {
        "kk": "«{q}» бойынша ештеңе табылмады, ал онлайн іздеу қазір қолжетімсіз. "
        "Басқаша жазып көріңіз немесе картаны басыңыз.",
        "ru": "По запросу «{q}» ничего не найдено, а онлайн-поиск сейчас недоступен. "
        "Попробуйте другое написание или нажмите на карту.",
        "en": "Nothing found for “{q}”, and the online search is unavailable now. "
        "Try another spelling, or click the map.",
    },
    "near.err.nothing": {
        "kk": "«{q}» бойынша ештеңе табылмады. Басқаша жазып көріңіз немесе картаны басыңыз.",
        "ru": "По запросу «{q}» ничего не найдено. Попробуйте другое написание или нажмите на карту.",
        "en": "Nothing found for “{q}”. Try another spelling, or click the map.",
    },
    "near.filters_ignored": {
        "kk": "Басқа қалаға арналған сүзгілер (жағалау, аудан) {city} үшін қолданылмайды.",
        "ru": "Фильтры другого города (берег, район) для города {city} не применяются.",
        "en": "Filters for the other city (bank, district) do not apply in {city}.",
    },
    "near.n": {"kk": "Қанша орын", "ru": "Сколько мест", "en": "How many places"},
    "near.radius": {"kk": "Радиус", "ru": "Радиус", "en": "Within"},
    "near.radius_any": {"kk": "шектеусіз", "ru": "без ограничения", "en": "any distance"},
    "near.no_position": {
        "kk": "Алдымен орныңызды көрсетіңіз: жоғарыда іздеңіз, картаны басыңыз немесе «Мен қайдамын?».",
        "ru": "Сначала укажите, где вы: поиск выше, нажатие на карту или «Где я?».",
        "en": "First say where you are: search above, click the map, or use “Where am I?”.",
    },
    "near.position": {
        "kk": "Сіздің орныңыз: {pos} ({how})",
        "ru": "Ваше место: {pos} ({how})",
        "en": "Your position: {pos} ({how})",
    },
    "near.source.link": {"kk": "сілтемеден", "ru": "из ссылки", "en": "from the link"},
    "near.source.search": {"kk": "іздеуден", "ru": "из поиска", "en": "from the search"},
    "near.source.typed": {
        "kk": "жазылған координат",
        "ru": "введённые координаты",
        "en": "typed coordinates",
    },
    "near.source.map": {
        "kk": "картадан немесе браузерден",
        "ru": "с карты или из браузера",
        "en": "from the map or your browser",
    },
    "near.results_title": {
        "kk": "Ең жақын {n} орын",
        "ru": "Ближайшие места: {n}",
        "en": "The {n} nearest places",
    },
    "near.none": {
        "kk": "Сүзгілер мен радиусқа сәйкес орын жоқ. Сүзгілерді жеңілдетіңіз немесе радиусты үлкейтіңіз.",
        "ru": "Нет мест под эти фильтры и радиус. Ослабьте фильтры или увеличьте радиус.",
        "en": "No places match the filters within this distance. Widen the filters or the distance.",
    },
    "near.metres": {"kk": "{m} м", "ru": "{m} м", "en": "{m} m"},
    "near.km": {"kk": "{km} км", "ru": "{km} км", "en": "{km} km"},
    "near.walk": {
        "kk": "жаяу ≈ {min} мин",
        "ru": "пешком ≈ {min} мин",
        "en": "≈ {min} min on foot",
    },
    "near.approx": {
        "kk": "орны шамамен (±{m} м)",
        "ru": "место примерное (±{m} м)",
        "en": "approximate location (±{m} m)",
    },
    "near.you_bank": {
        "kk": "Сіз Есілдің мына жағындасыз: {bank}",
        "ru": "Вы на берегу Есиля: {bank}",
        "en": "You are on this bank of the Esil: {bank}",
    },
    "near.bank_unknown": {
        "kk": "жағалауы белгісіз",
        "ru": "берег неизвестен",
        "en": "bank unknown",
    },
    "near.crossing_yes": {
        "kk": "өзеннен өту керек",
        "ru": "нужно пересечь реку",
        "en": "you must cross the river",
    },
    "near.crossing_no": {
        "kk": "өзеннен өтудің қажеті жоқ",
        "ru": "реку пересекать не нужно",
        "en": "no river crossing",
    },
    "near.crossing_unknown": {
        "kk": "өзеннен өту керек пе, белгісіз",
        "ru": "нужно ли пересекать реку, неизвестно",
        "en": "whether you must cross the river is unknown",
    },
    "near.crossing_no_layer": {
        "kk": "өзеннен өту белгісіз: жағалаулар қабаты орнатылмаған",
        "ru": "пересечение реки неизвестно: слой берегов не установлен",
        "en": "river crossing unknown: the banks layer is not installed",
    },
    "near.route_2gis": {"kk": "2GIS-те бағыт", "ru": "Маршрут в 2GIS", "en": "Route in 2GIS"},
    "near.route_osm": {
        "kk": "OpenStreetMap-та бағыт",
        "ru": "Маршрут в OpenStreetMap",
        "en": "Route in OpenStreetMap",
    },
    "near.landmarks": {
        "kk": "Көрнекті орындарды да көрсету",
        "ru": "Показывать и достопримечательности",
        "en": "Include landmarks",
    },
    "near.landmarks_help": {
        "kk": "Бәйтерек, Ақорда сияқты көрнекті орындар — бағдар, креативті кеңістік емес: "
        "олар картада және іздеуде бар, бірақ жақын орындар тізіміне тек осы белгімен кіреді.",
        "ru": "Достопримечательности вроде Байтерека и Акорды — ориентиры, а не креативные "
        "пространства: они есть на карте и в поиске, но в список ближайших попадают, только "
        "если отмечено здесь.",
        "en": "Landmarks such as Baiterek and Ak Orda are context, not creative spaces: they "
        "are on the map and in search, but the nearest places list them only when this is ticked.",
    },
    "near.landmarks_left_out": {
        "kk": "Көрнекті орындар ({n}) тізімде жоқ: оларды көру үшін «Көрнекті орындарды да "
        "көрсету» белгісін қойыңыз.",
        "ru": "Достопримечательности ({n}) в список не включены: чтобы их увидеть, отметьте "
        "«Показывать и достопримечательности».",
        "en": "Landmarks ({n}) are not listed: tick “Include landmarks” to list them too.",
    },
    "near.unknown_left_out": {
        "kk": "Сүзгіге сәйкес {n} орынның орны расталмаған, сондықтан олар тізімде жоқ.",
        "ru": "{n} мест(а) под фильтры без подтверждённого местоположения не включены.",
        "en": "{n} matching places have no confirmed location and are left out.",
    },
    "near.walk_assumption": {
        "kk": "Қашықтық түзу сызықпен (қаланың метрлік UTM проекциясында); жаяу уақыт {speed} км/сағ жылдамдықпен есептелген, нақты жол ұзағырақ.",
        "ru": "Расстояния по прямой (в метрической проекции UTM города); время пешком при {speed} км/ч, реальный путь длиннее.",
        "en": "Straight-line distances (in the city's metric UTM projection); walking times assume {speed} km/h, and real routes are longer.",
    },
    "near.map_hint": {
        "kk": "Орныңызды өзгерту үшін картаны басыңыз.",
        "ru": "Нажмите на карту, чтобы сменить своё место.",
        "en": "Click the map to move your position.",
    },
    "near.you_are_here": {"kk": "Сіз осындасыз", "ru": "Вы здесь", "en": "You are here"},
    "near.locate.button": {"kk": "Мен қайдамын?", "ru": "Где я?", "en": "Where am I?"},
    "near.locate.title": {
        "kk": "Браузерден орныңызды сұрау",
        "ru": "Запросить ваше местоположение у браузера",
        "en": "Ask your browser where you are",
    },
    "near.locate.asking": {
        "kk": "Браузерден орныңызды сұраймыз…",
        "ru": "Запрашиваем местоположение у браузера…",
        "en": "Asking your browser where you are…",
    },
    "near.locate.found": {
        "kk": "Браузер орныңызды ±{m} м дәлдікпен берді.",
        "ru": "Браузер сообщил ваше место с точностью ±{m} м.",
        "en": "Your browser gave your position to within ±{m} m.",
    },
    "near.locate.denied": {
        "kk": "Браузер орныңызды беруге рұқсат бермеді. Орын атауын жазыңыз немесе картаны басыңыз.",
        "ru": "Браузер не разрешил доступ к местоположению. Введите название места или нажмите на карту.",
        "en": "Your browser did not allow access to your location. Type a place, or click the map.",
    },
    "near.locate.timeout": {
        "kk": "Браузер орныңызды уақытында таппады. Қайталап көріңіз немесе картаны басыңыз.",
        "ru": "Браузер не успел определить место. Попробуйте ещё раз или нажмите на карту.",
        "en": "Your browser took too long to find you. Try again, or click the map.",
    },
    "near.locate.unavailable": {
        "kk": "Бұл браузерде орынды анықтау қолжетімсіз (https немесе localhost керек). Орын атауын жазыңыз немесе картаны басыңыз.",
        "ru": "Определение места недоступно в этом браузере (нужен https или localhost). Введите название места или нажмите на карту.",
        "en": "Location is not available in this browser (it needs https or localhost). Type a place, or click the map.",
    },
    "ui.why_unknown": {"kk": "белгісіз мән", "ru": "неизвестное значение", "en": "unknown value"},
    "ui.why_place": {"kk": "мұндай нысан жоқ", "ru": "такого объекта нет", "en": "no such place"},
    "ui.why_no_banks": {
        "kk": "Есіл жағалаулары тек Астанаға қатысты",
        "ru": "берега Есиля есть только у Астаны",
        "en": "the banks of the Esil apply to Astana only",
    },
    "ui.why_other_city": {
        "kk": "бұл аудан таңдалған қалада емес",
        "ru": "этот район не в выбранном городе",
        "en": "this district is not in the chosen city",
    },
    "ui.why_zoom": {
        "kk": "4-тен 19-ға дейінгі бүтін сан болуы керек",
        "ru": "нужно целое число от 4 до 19",
        "en": "must be a whole number from 4 to 19",
    },
    "ui.why_center_zoom": {
        "kk": "center пен zoom бірге берілуі керек",
        "ru": "center и zoom нужны вместе",
        "en": "center and zoom go together",
    },
    "ui.why_layer": {
        "kk": "мұндай қабат жоқ немесе орнатылмаған",
        "ru": "такого слоя нет или он не установлен",
        "en": "no such layer, or it is not installed",
    },
    "ui.filter_set_aside": {
        "kk": "{param}={value} сүзгісі алынып тасталды:",
        "ru": "Фильтр {param}={value} снят:",
        "en": "Filter {param}={value} was cleared:",
    },
    "ui.bank_hides_almaty": {
        "kk": "Жағалау сүзгісі тек Астана нысандарын көрсетеді: Алматы нысандары жасырылды.",
        "ru": "Фильтр по берегу показывает только объекты Астаны: объекты Алматы скрыты.",
        "en": "The bank filter shows Astana's places only: Almaty's places are hidden.",
    },
    "ui.no_place_layer": {
        "kk": "Нысандар қабаттары жасырылған: оларды бүйір панельдегі «Қабаттар» бөлімінде қосыңыз.",
        "ru": "Слои с объектами скрыты: включите их в разделе «Слои» на боковой панели.",
        "en": "The layers of places are hidden: turn them on under “Layers” in the sidebar.",
    },
    "ui.store_error": {
        "kk": "Деректер қоймасы қолжетімсіз. Әкімшіге хабарлаңыз:",
        "ru": "Хранилище данных недоступно. Сообщите администратору:",
        "en": "The data store is unavailable. Tell the operator:",
    },
    "ui.data_error": {
        "kk": "Каталог жүктелмеді. Әзірлеушілерге арналған мәлімет:",
        "ru": "Каталог не загрузился. Подробности для разработчиков:",
        "en": "The catalogue could not be loaded. Details for developers:",
    },
    "ui.data_error_short": {
        "kk": "Каталог жүктелмеді.",
        "ru": "Каталог не загрузился.",
        "en": "The catalogue could not be loaded.",
    },
    "ui.address": {"kk": "Мекенжайы", "ru": "Адрес", "en": "Address"},
    "ui.website": {"kk": "Сайты", "ru": "Сайт", "en": "Website"},
    "ui.hours": {
        "kk": "Жұмыс уақыты (OpenStreetMap жазбасы)",
        "ru": "Часы работы (запись OpenStreetMap)",
        "en": "Opening hours (as OpenStreetMap writes them)",
    },
    "ui.layer_error": {
        "kk": "«{layer}» қабаты жүктелмеді, ол өткізіліп жіберілді:",
        "ru": "Слой «{layer}» не загрузился и пропущен:",
        "en": "Layer “{layer}” could not be loaded and is left out:",
    },
    # A link in the data that is not shown (geo/weburl.py REASONS).
    "url.too_long": {
        "kk": "{record} жазбасы: {column} бағанындағы сілтеме тым ұзын: {value}",
        "ru": "Запись {record}: ссылка в столбце {column} слишком длинная: {value}",
        "en": "Record {record}: the link in column {column} is too long: {value}",
    },
    "url.character": {
        "kk": "{record} жазбасы: {column} бағанындағы сілтемеде рұқсат етілмеген {char} таңбасы бар (оны пайыздық кодпен жазыңыз, мысалы «(» үшін %28): {value}",
        "ru": "Запись {record}: ссылка в столбце {column} содержит недопустимый символ {char} (закодируйте его, например %28 вместо «(»): {value}",
        "en": "Record {record}: the link in column {column} contains {char}, which a link may not hold (percent-encode it, e.g. %28 for “(”): {value}",
    },
    "url.scheme": {
        "kk": "{record} жазбасы: {column} бағанындағы сілтеме https:// немесе http:// деп басталуы керек: {value}",
        "ru": "Запись {record}: ссылка в столбце {column} должна начинаться с https:// или http://: {value}",
        "en": "Record {record}: the link in column {column} must start with https:// or http://: {value}",
    },
    "url.userinfo": {
        "kk": "{record} жазбасы: {column} бағанындағы сілтемеде хост алдында пайдаланушы аты немесе құпиясөз болмауы керек (user@host): {value}",
        "ru": "Запись {record}: в ссылке в столбце {column} не должно быть имени пользователя или пароля перед хостом (user@host): {value}",
        "en": "Record {record}: the link in column {column} may not name a user or password before the host (user@host): {value}",
    },
    "url.host": {
        "kk": "{record} жазбасы: {column} бағанындағы сілтемеде example.org сияқты хост атауы болуы керек: {value}",
        "ru": "Запись {record}: в ссылке в столбце {column} должно быть имя хоста, например example.org: {value}",
        "en": "Record {record}: the link in column {column} must name a host such as example.org: {value}",
    },
    "url.port": {
        "kk": "{record} жазбасы: {column} бағанындағы сілтеменің порты 1-ден 65535-ке дейінгі сан емес: {value}",
        "ru": "Запись {record}: порт в ссылке в столбце {column} не является числом от 1 до 65535: {value}",
        "en": "Record {record}: the link in column {column} has a port that is not a number from 1 to 65535: {value}",
    },
    "url.percent": {
        "kk": "{record} жазбасы: {column} бағанындағы сілтемеде % белгісінен кейін екі он алтылық цифр жоқ: {value}",
        "ru": "Запись {record}: в ссылке в столбце {column} за знаком % не следуют две шестнадцатеричные цифры: {value}",
        "en": "Record {record}: the link in column {column} has a % not followed by two hexadecimal digits: {value}",
    },
    # A data file that is not a GeoPackage or GeoJSON file (layers/safe_files.py).
    "file.refused": {
        "kk": "«{file}» файлы ашылмады: бұл — {found}. Қосымша тек GeoPackage және GeoJSON файлдарын оқиды; оны дұрыс файлмен ауыстырыңыз.",
        "ru": "Файл «{file}» не открыт: это {found}. Приложение читает только файлы GeoPackage и GeoJSON; замените его нужным файлом.",
        "en": "The file “{file}” was not opened: it is {found}. The app reads only GeoPackage and GeoJSON files; replace it with the right file.",
    },
    "file.found.vrt": {
        "kk": "басқа файлдарға немесе мекенжайларға сілтей алатын GDAL виртуалды деректер жиыны (VRT)",
        "ru": "виртуальный набор данных GDAL (VRT), который может ссылаться на другие файлы и адреса",
        "en": "a GDAL virtual dataset (VRT), which can point at other files or addresses",
    },
    "file.found.gdalg": {
        "kk": "GDAL алгоритмдер тізбегі (GDALG)",
        "ru": "конвейер алгоритмов GDAL (GDALG)",
        "en": "a GDAL algorithm pipeline (GDALG)",
    },
    "file.found.xml": {"kk": "XML құжаты", "ru": "XML-документ", "en": "an XML document"},
    "file.found.sqlite": {
        "kk": "GeoPackage емес SQLite дерекқоры",
        "ru": "база данных SQLite, но не GeoPackage",
        "en": "an SQLite database that is not a GeoPackage",
    },
    "file.found.json": {
        "kk": "GeoJSON емес JSON",
        "ru": "JSON, но не GeoJSON",
        "en": "JSON that is not GeoJSON",
    },
    "file.found.broken_json": {
        "kk": "JSON сияқты басталатын, бірақ талданбайтын файл",
        "ru": "файл, похожий на JSON, который не удаётся разобрать",
        "en": "a file that starts like JSON but cannot be parsed",
    },
    "file.found.text": {
        "kk": "қарапайым мәтіндік файл (мысалы, CSV)",
        "ru": "обычный текстовый файл (например, CSV)",
        "en": "a plain-text file (such as CSV)",
    },
    "file.found.unknown": {
        "kk": "белгісіз түрдегі файл",
        "ru": "файл неизвестного вида",
        "en": "a file of an unknown kind",
    },
    "file.found.not_a_file": {
        "kk": "кәдімгі файл емес",
        "ru": "не обычный файл",
        "en": "not a regular file",
    },
    "file.found.gdal_path": {
        "kk": "жергілікті файл емес, GDAL арнайы жолы немесе мекенжай",
        "ru": "специальный путь GDAL или адрес, а не локальный файл",
        "en": "a GDAL special path or an address, not a local file",
    },
    "file.found.too_large": {
        "kk": "осы түрдегі файлға рұқсат етілген {limit_mb} МБ шегінен үлкен файл",
        "ru": "файл больше допустимых для такого вида {limit_mb} МБ",
        "en": "larger than the limit of {limit_mb} MB for its kind",
    },
    "ui.targets": {
        "kk": "Бағдарлама мақсаттары",
        "ru": "Целевые показатели",
        "en": "Programme targets",
    },
    "ui.targets_note": {
        "kk": "Жарияланған мақсаттар ({n}) және олардың орындалуы «Мақсаттар» бетінде.",
        "ru": "Объявленные цели ({n}) и их выполнение: на странице «Цели».",
        "en": "Announced targets ({n}) and their progress: on the Targets page.",
    },
    "ui.sources_footer": {
        "kk": "Дереккөздер: Қазақстанская правда (2018-01-26), Zakon.kz (2022-09-12) және жоба фактілері. Негізгі карта © OpenStreetMap contributors.",
        "ru": "Источники: «Казахстанская правда» (26.01.2018), Zakon.kz (12.09.2022) и фактологическая справка проекта. Подложка © участники OpenStreetMap.",
        "en": "Sources: Kazakhstanskaya Pravda (2018-01-26), Zakon.kz (2022-09-12) and the project's fact sheet. Basemap © OpenStreetMap contributors.",
    },
    # Targets against reality: the targets page (issue 10, helper "targets").
    "ui.mode.targets": {
        "kk": ":material/flag: Мақсаттар",
        "ru": ":material/flag: Цели",
        "en": ":material/flag: Targets",
    },
    "targets.title": {
        "kk": "Мақсаттар мен нақты жағдай",
        "ru": "Цели и реальность",
        "en": "Targets against reality",
    },
    "targets.intro": {
        "kk": "Не уәде етілді, кім және қай мерзімге уәде етті, каталог {date} күнгі жағдай бойынша одан не көрсетеді. Сандар — каталогтағы орындар: каталогта жоқ орын саналмайды, сондықтан сан — барлығы емес, белгілісі ғана.",
        "ru": "Что обещано, кем и к какому сроку, и что из этого видно по каталогу на {date}. Считаются места каталога: места, которого в каталоге нет, в счёте нет, поэтому число — это известное, а не всё, что есть.",
        "en": "What was promised, by whom and by when, and what the catalogue shows of it on {date}. Counts are of the catalogue's places: a place the catalogue lacks is not counted, so a count is what is known, not all there is.",
    },
    "targets.cards": {
        "kk": "Сүзгілер өткізетін орындар",
        "ru": "Места, которые пропускают фильтры",
        "en": "Places the filters let through",
    },
    "targets.card.places": {"kk": "Барлық орын", "ru": "Всего мест", "en": "All places"},
    "targets.card.existing": {"kk": "Жұмыс істейді", "ru": "Существуют", "en": "Existing"},
    "targets.card.not_yet": {
        "kk": "Жарияланған, әлі жоқ",
        "ru": "Объявлены, ещё не созданы",
        "en": "Announced, not there yet",
    },
    "targets.card.unplaced": {
        "kk": "Орны расталмаған",
        "ru": "Место не подтверждено",
        "en": "Location not confirmed",
    },
    "targets.card.unplaced_help": {
        "kk": "Картада көрсетілмейді: олар карта бетінде картаның жанындағы тізімде.",
        "ru": "На карте их не нарисовать: на странице карты они в списке рядом с картой.",
        "en": "They cannot be drawn: the map page lists them beside the map.",
    },
    "targets.show_on_map": {
        "kk": "Картада көрсету",
        "ru": "Показать на карте",
        "en": "Show on the map",
    },
    "targets.list": {
        "kk": "Жарияланған мақсаттар",
        "ru": "Объявленные цели",
        "en": "Announced targets",
    },
    "targets.amount": {"kk": "Көлемі: {amount}", "ru": "Объём: {amount}", "en": "Amount: {amount}"},
    "targets.amount_none": {
        "kk": "Көлемі айтылмаған",
        "ru": "Объём не назван",
        "en": "No amount was given",
    },
    "targets.promised_by": {
        "kk": "Уәде еткен: {who}",
        "ru": "Кто обещал: {who}",
        "en": "Promised by: {who}",
    },
    "targets.deadline": {
        "kk": "Мерзімі: {year} жылға дейін",
        "ru": "Срок: до {year} года",
        "en": "Deadline: by {year}",
    },
    "targets.deadline_none": {
        "kk": "Мерзімі жарияланбаған",
        "ru": "Срок не объявлен",
        "en": "No deadline was announced",
    },
    "targets.deadline_passed": {
        "kk": "Мерзімі өтті: {year} жылдың соңы",
        "ru": "Срок прошёл: конец {year} года",
        "en": "Deadline passed: the end of {year}",
    },
    "targets.source": {
        "kk": "Дереккөз: {outlet}, «{title}», {date}",
        "ru": "Источник: {outlet}, «{title}», {date}",
        "en": "Source: {outlet}, “{title}”, {date}",
    },
    "targets.source_link": {"kk": "ашу", "ru": "открыть", "en": "open"},
    "targets.source_no_link": {
        "kk": "сілтеме сақталмаған",
        "ru": "ссылка не сохранена",
        "en": "no link recorded",
    },
    "targets.progress.count": {
        "kk": "Каталогта белгілісі: {known}, уәде етілгені {quantity}",
        "ru": "Известно по каталогу: {known} из {quantity} обещанных",
        "en": "Known in the catalogue: {known} of {quantity} promised",
    },
    "targets.progress.count_open": {
        "kk": "Каталогта белгілісі: {known}",
        "ru": "Известно по каталогу: {known}",
        "en": "Known in the catalogue: {known}",
    },
    "targets.progress.status": {
        "kk": "Әр орынның соңғы дереккөзі бойынша мәртебесі:",
        "ru": "Статус каждого места по его последнему источнику:",
        "en": "Each place's status as of its last source:",
    },
    "targets.progress.place": {
        "kk": "{name}: {status} ({date} жағдайы бойынша)",
        "ru": "{name}: {status} (на {date})",
        "en": "{name}: {status} (as of {date})",
    },
    "targets.progress.place_undated": {
        "kk": "{name}: {status} (күні көрсетілмеген)",
        "ru": "{name}: {status} (без даты)",
        "en": "{name}: {status} (undated)",
    },
    "targets.progress.unknown": {
        "kk": "Орындалуы: БЕЛГІСІЗ",
        "ru": "Выполнение: НЕИЗВЕСТНО",
        "en": "Progress: UNKNOWN",
    },
    "targets.why.no_link": {
        "kk": "каталогта оны өлшейтін орындар жоқ, ал дереккөздер орындалуы туралы айтпайды.",
        "ru": "в каталоге нет мест, по которым его измерить, а источники о выполнении не сообщают.",
        "en": "the catalogue has no places to measure it by, and no source reports it.",
    },
    "targets.why.none_in_catalogue": {
        "kk": "ол санайтын орындардың бірде-біреуі каталогта жоқ (бұл ештеңе салынбады дегенді білдірмейді).",
        "ru": "ни одного из мест, которые она считает, в каталоге нет (это не значит, что ничего не создано).",
        "en": "none of the places it counts is in the catalogue (which does not mean none was built).",
    },
    "targets.sources_say": {
        "kk": "Дереккөздер не дейді ({date}): {text}",
        "ru": "Что говорят источники (на {date}): {text}",
        "en": "What the sources say (as of {date}): {text}",
    },
    "targets.unit.count": {"kk": "{n}", "ru": "{n}", "en": "{n}"},
    "targets.unit.event": {"kk": "{n}", "ru": "{n}", "en": "{n}"},
    "targets.unit.m2": {"kk": "{n} м²", "ru": "{n} м²", "en": "{n} m²"},
    "targets.unit.kzt": {"kk": "{n} теңге", "ru": "{n} тенге", "en": "{n} tenge"},
    "targets.unit.usd": {"kk": "{n} АҚШ доллары", "ru": "{n} долл. США", "en": "US$ {n}"},
    "targets.unit.percent_of_economy": {
        "kk": "қала экономикасының {n}%",
        "ru": "{n}% экономики города",
        "en": "{n}% of the city's economy",
    },
    "targets.charts": {
        "kk": "Орындар: қала, жағалау, аудан, түрі және мәртебесі бойынша",
        "ru": "Места по городам, берегам, районам, видам и статусам",
        "en": "Places by city, bank, district, kind and status",
    },
    "targets.chart_hint": {
        "kk": "Бағанды таңдасаңыз, оның орындары картада көрсетіледі. Көлденең ось — орындар саны.",
        "ru": "Выберите столбец, чтобы показать его места на карте. По горизонтали — число мест.",
        "en": "Select a bar to show its places on the map. The horizontal axis is the number of places.",
    },
    "targets.chart.city": {"kk": "Қала бойынша", "ru": "По городам", "en": "By city"},
    "targets.chart.bank": {
        "kk": "Есілдің жағалауы бойынша (Астана)",
        "ru": "По берегам Есиля (Астана)",
        "en": "By bank of the Esil (Astana)",
    },
    "targets.chart.district": {"kk": "Аудан бойынша", "ru": "По районам", "en": "By district"},
    "targets.chart.kind": {"kk": "Түрі бойынша", "ru": "По видам", "en": "By kind"},
    "targets.chart.status": {"kk": "Мәртебесі бойынша", "ru": "По статусам", "en": "By status"},
    "targets.chart.places": {"kk": "Орындар саны", "ru": "Число мест", "en": "Places"},
    "targets.chart.empty": {
        "kk": "Сүзгілерге сәйкес орын жоқ.",
        "ru": "Под фильтры не подходит ни одно место.",
        "en": "No place matches the filters.",
    },
    "targets.chart.no_banks": {
        "kk": "Таңдалған қалада Есілдің жағалаулары жоқ.",
        "ru": "Выбранный город не делится Есилем на берега.",
        "en": "The chosen city is not divided into banks by the Esil.",
    },
    "targets.timeline": {
        "kk": "Жарияланғаны мен іске асқаны, жылдар бойынша",
        "ru": "Объявлено и реализовано, по годам",
        "en": "Announced against realised, by year",
    },
    "targets.timeline.year": {"kk": "Жыл", "ru": "Год", "en": "Year"},
    "targets.timeline.announced": {
        "kk": "Жарияланды (жариялау жылы)",
        "ru": "Объявлено (год объявления)",
        "en": "Announced (year of the announcement)",
    },
    "targets.timeline.realised": {
        "kk": "Іске асты (бар екенін растаған дереккөздің жылы)",
        "ru": "Реализовано (год источника, подтвердившего, что место есть)",
        "en": "Realised (year of the source saying it exists)",
    },
    "targets.timeline.axes": {
        "kk": "Көлденең ось — жыл; тік ось — сол жылы жарияланған орындар саны және бұрын жарияланған орындардың сол жылы бар деп расталғаны.",
        "ru": "По горизонтали — год; по вертикали — сколько мест объявлено в этом году и сколько объявленных мест источник этого года называет существующими.",
        "en": "Horizontal axis: the year. Vertical axis: how many places were announced that year, and how many announced places a source of that year says exist.",
    },
    "targets.timeline.unknown": {
        "kk": "Күні белгісіз, диаграммада жоқ: жариялану күні жоқ {not_announced} орын (ешбір бағдарламаға кірмеген орындар); жарияланған, бірақ соңғы дереккөзі бойынша әлі жоқ {not_realised} орын; бар, бірақ оны ешбір дереккөз күнмен белгілемеген {undated} орын.",
        "ru": "Без даты, не на диаграмме: мест без даты объявления (вне программ) — {not_announced}; объявленных, но не существующих по последнему источнику — {not_realised}; существующих, но без даты источника — {undated}.",
        "en": "Not on the chart, for want of a date: {not_announced} places with no announcement date (outside any programme); {not_realised} announced places that do not exist as of their last source; {undated} that exist with no dated source.",
    },
    "targets.timeline.none": {
        "kk": "Сүзгілер өткізетін орындардың ешқайсысының жариялану күні жоқ.",
        "ru": "Ни у одного места под фильтрами нет даты объявления.",
        "en": "No place the filters let through has an announcement date.",
    },
}


def t(key: str, lang: str, **values: object) -> str:
    """Return a user-visible string in a language, with ``{name}`` fields filled in.

    Falls back to English, then to the key itself, so a missing translation shows up
    plainly instead of failing the page (a test checks that none is missing).

    Parameters
    ----------
    key
        The string's key, such as ``"ui.city"`` or ``"kind.it_hub"``.
    lang
        ``"kk"``, ``"ru"`` or ``"en"``.
    **values
        Values for the string's ``{name}`` fields.

    Returns
    -------
    str
        The translated string.
    """
    entry = _T.get(key)
    if entry is None:
        return key
    text = entry.get(lang) or entry.get("en") or key
    return text.format(**values) if values else text


def all_keys() -> tuple[str, ...]:
    """Return every translation key (for tests and tooling).

    Returns
    -------
    tuple of str
        The keys.
    """
    return tuple(_T)


def translations_for(key: str) -> dict[str, str]:
    """Return a copy of one key's translations.

    Parameters
    ----------
    key
        The string's key.

    Returns
    -------
    dict
        Language code to text.
    """
    return dict(_T.get(key, {}))


def label(field: str, value: object, lang: str) -> str:
    """Return the display label of a catalogue value (kind, status, bank, city, district).

    Parameters
    ----------
    field
        ``"kind"``, ``"status"``, ``"bank"``, ``"city"``, ``"district"`` or ``"year"``.
    value
        The stored value; missing values read as ``unknown``.
    lang
        Language code.

    Returns
    -------
    str
        The label, or the value itself when it has no translation.
    """
    if value is None or str(value) in {"", "nan", "unknown"}:
        return t("year.unknown" if field in {"year", "target_year"} else "unknown", lang)
    key = f"{field}.{value}"
    # An untranslated value is data: shown as plain text (widget options are not escaped).
    return t(key, lang) if key in _T else plain_text(value)


def number(value: float, lang: str, *, decimals: int = 0) -> str:
    """Return a number written as the language writes it (CLDR, through Babel).

    Parameters
    ----------
    value
        The number.
    lang
        Language code: Russian and Kazakh group thousands with a no-break space and use a
        decimal comma (``1 100``, ``1,8``); English uses ``1,100`` and ``1.8``.
    decimals
        Digits after the decimal sign, at most (trailing zeros are left out).

    Returns
    -------
    str
        The formatted number.
    """
    pattern = "#,##0" + ("." + "#" * decimals if decimals else "")
    return str(format_decimal(value, format=pattern, locale=lang))
