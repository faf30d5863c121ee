"""The translation layer: every user-visible string in Kazakh, Russian and English."""

from __future__ import annotations

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
    "status.existing": {"kk": "Жұмыс істейді", "ru": "Существует", "en": "Existing"},
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
        "kk": "Кластерлер, хабтар, студиялар, өнер орталықтары мен Арбат аймақтары: бар және жоспарланған. Әр жазбада дереккөз бен орынның дәлдігі көрсетілген.",
        "ru": "Кластеры, хабы, студии, арт-центры и зоны «Арбат»: существующие и планируемые. У каждой записи указаны источник и точность местоположения.",
        "en": "Clusters, hubs, studios, arts centres and Arbat zones, existing and planned. Every record shows its source and how exact its location is.",
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
    "ui.location_unknown": {
        "kk": "Орны расталмаған: картада көрсетілмейді.",
        "ru": "Местоположение не подтверждено: на карте не показано.",
        "en": "Location not confirmed: not drawn on the map.",
    },
    "ui.source": {"kk": "Дереккөз", "ru": "Источник", "en": "Source"},
    "ui.no_link": {
        "kk": "сілтеме жазылмаған",
        "ru": "ссылка не записана",
        "en": "link not recorded",
    },
    "ui.checked": {"kk": "Тексерілді: {date}", "ru": "Проверено: {date}", "en": "Checked: {date}"},
    "ui.legend": {"kk": "Шартты белгілер", "ru": "Легенда", "en": "Legend"},
    "ui.legend_solid": {
        "kk": "Толық бояу: жұмыс істейді",
        "ru": "Сплошная заливка: существует",
        "en": "Solid fill: existing",
    },
    "ui.legend_hollow": {
        "kk": "Ашық бояу: әлі салынбаған (жоспар, ұсыныс, құрылыс)",
        "ru": "Светлая заливка: ещё не построено (план, предложение, стройка)",
        "en": "Light fill: not built yet (planned, proposed, under construction)",
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
    "ui.why_unknown": {"kk": "белгісіз мән", "ru": "неизвестное значение", "en": "unknown value"},
    "ui.why_place": {"kk": "мұндай нысан жоқ", "ru": "такого объекта нет", "en": "no such place"},
    "ui.data_error": {
        "kk": "Каталог жүктелмеді. Әзірлеушілерге арналған мәлімет:",
        "ru": "Каталог не загрузился. Подробности для разработчиков:",
        "en": "The catalogue could not be loaded. Details for developers:",
    },
    "ui.layer_error": {
        "kk": "«{layer}» қабаты жүктелмеді, ол өткізіліп жіберілді:",
        "ru": "Слой «{layer}» не загрузился и пропущен:",
        "en": "Layer “{layer}” could not be loaded and is left out:",
    },
    "ui.targets": {
        "kk": "Бағдарлама мақсаттары",
        "ru": "Целевые показатели",
        "en": "Programme targets",
    },
    "ui.targets_note": {
        "kk": "Әзірге орны жоқ жарияланған мақсаттар ({n}); олардың көрінісі кейінірек болады.",
        "ru": "Объявленные цели без площадки ({n}); отдельный вид для них появится позже.",
        "en": "Announced targets with no site yet ({n}); a view of them comes later.",
    },
    "ui.sources_footer": {
        "kk": "Дереккөздер: Қазақстанская правда (2018-01-26), Zakon.kz (2022-09-12) және жоба фактілері. Негізгі карта © OpenStreetMap contributors.",
        "ru": "Источники: «Казахстанская правда» (26.01.2018), Zakon.kz (12.09.2022) и фактологическая справка проекта. Подложка © участники OpenStreetMap.",
        "en": "Sources: Kazakhstanskaya Pravda (2018-01-26), Zakon.kz (2022-09-12) and the project's fact sheet. Basemap © OpenStreetMap contributors.",
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
    return t(key, lang) if key in _T else str(value)
