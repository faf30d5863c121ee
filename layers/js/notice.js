// One notice box on a map (bottom left, read out by screen readers). Returns its element.
// `html` must already be escaped (layers/escape.py); pass '' and set textContent to update it.
window.__creativeNotice = window.__creativeNotice || function (map, html, extraClass) {
    var box = L.control({position: 'bottomleft'});
    box.onAdd = function () {
        var div = L.DomUtil.create('div', 'creative-map-notice' + (extraClass ? ' ' + extraClass : ''));
        div.setAttribute('role', 'status');
        div.innerHTML = html;
        return div;
    };
    box.addTo(map);
    return box.getContainer();
};
