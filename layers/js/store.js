// The map's shared store: fetched layers, the one-pass point layer, and applying a view.
// Inlined verbatim into the map's script by layers/render.py (never compiled as a template),
// inside a function that receives the Leaflet map as `map`.
var store = window.__creativeMap = window.__creativeMap || {layers: {}};
store.map = map;

if (!store.PointsPath) {
    var TWO_PI = Math.PI * 2;
    var EARTH_CIRCUMFERENCE_M = 40075016.686;

    // All point features of a layer as ONE Leaflet path on the map's canvas renderer: one draw
    // pass per style instead of one path per feature, and one entry in the map's layer list
    // instead of thousands (streamlit-folium rebinds a click handler on every entry after each
    // rerun, and Leaflet adds and removes each separately). Hit-testing finds the feature under
    // the pointer and keeps its index in `hit`; the tooltip and click reporting read it.
    store.PointsPath = L.Path.extend({
        initialize: function (features, styles, options) {
            L.setOptions(this, options);
            var n = features.length;
            this.features = features;
            this.styles = styles;
            this.shown = new Uint8Array(n).fill(1);
            this.selected = -1;
            this.hit = -1;
            this._px = new Float64Array(n);
            this._py = new Float64Array(n);
            this._pr = new Float64Array(n);
            this._approxStyle = styles.map(function () { return false; });
            var self = this;
            features.forEach(function (f) { if (f.properties.a) { self._approxStyle[f.properties.s] = true; } });
            this._regroup();
        },
        // Call after changing `shown` or `selected`: redraws on the next animation frame.
        refresh: function () {
            this._regroup();
            if (this._map) { this._renderer._requestRedraw(this); }
            return this;
        },
        shownCount: function () {
            var c = 0;
            for (var k = 0; k < this.shown.length; k++) { c += this.shown[k]; }
            return c;
        },
        _regroup: function () {
            var groups = this.styles.map(function () { return []; });
            for (var k = 0; k < this.features.length; k++) {
                if (this.shown[k]) { groups[this.features[k].properties.s].push(k); }
            }
            this._groups = groups;
        },
        _project: function () {
            var map = this._map, zoom = map.getZoom(), origin = map.getPixelOrigin();
            var metresPerPxAtEquator = EARTH_CIRCUMFERENCE_M / (256 * Math.pow(2, zoom));
            var minPx = this.options.minPx, pad = 0, x0 = Infinity, y0 = Infinity,
                x1 = -Infinity, y1 = -Infinity;
            for (var k = 0; k < this.features.length; k++) {
                var f = this.features[k], c = f.geometry.coordinates;
                var p = map.project([c[1], c[0]], zoom);
                var style = this.styles[f.properties.s];
                var r = style.radius;
                if (f.properties.a) {
                    var metresPerPx = metresPerPxAtEquator * Math.cos(c[1] * Math.PI / 180);
                    r = Math.max(minPx, f.properties.a / metresPerPx);
                }
                this._px[k] = p.x - origin.x;
                this._py[k] = p.y - origin.y;
                this._pr[k] = r;
                pad = Math.max(pad, r + 2 * (style.weight || 0));
                x0 = Math.min(x0, this._px[k]); y0 = Math.min(y0, this._py[k]);
                x1 = Math.max(x1, this._px[k]); y1 = Math.max(y1, this._py[k]);
            }
            this._pxBounds = this.features.length
                ? L.bounds([x0 - pad, y0 - pad], [x1 + pad, y1 + pad]) : null;
        },
        _update: function () {},  // drawing happens in _updatePath, during the renderer's pass
        _updatePath: function () {
            var renderer = this._renderer;
            if (!renderer._drawing || !this._pxBounds) { return; }
            var ctx = renderer._ctx, b = renderer._bounds, s;
            // Approximate circles first, so exact points are never hidden under them.
            for (s = 0; s < this.styles.length; s++) {
                if (this._approxStyle[s] && this._groups[s].length) {
                    this._drawGroup(ctx, b, this._groups[s], this.styles[s]);
                }
            }
            for (s = 0; s < this.styles.length; s++) {
                if (!this._approxStyle[s] && this._groups[s].length) {
                    this._blitGroup(ctx, this._groups[s], this.styles[s]);
                }
            }
            if (this.selected >= 0 && this.shown[this.selected]) {
                var base = this.styles[this.features[this.selected].properties.s];
                this._drawGroup(ctx, null, [this.selected], L.extend({}, base, {
                    color: store.selectedColor, weight: (base.weight || 1) * 2, opacity: 1}));
            }
        },
        // Exact points have one size per style: paint one circle into a small sprite, then
        // copy it to each point at whole device pixels. Copying is several times faster to
        // rasterise than 10,000 arcs, in one path or in many.
        // A point of the same style at the same whole pixel as one already copied adds nothing
        // visible but the opacity of stacked copies: it is copied once. Zoomed out, 100,000
        // places fall on a few thousand pixels, and each copy costs microseconds.
        _blitGroup: function (ctx, indices, style) {
            var sprite = this._sprite(style, ctx);
            var t = ctx.getTransform(), half = sprite.width / 2;
            var w = ctx.canvas.width, h = ctx.canvas.height;
            if (!this._seen || this._seen.length !== (w + 1) * (h + 1)) {
                this._seen = new Uint8Array((w + 1) * (h + 1));
            } else {
                this._seen.fill(0);
            }
            var seen = this._seen;
            ctx.save();
            ctx.setTransform(1, 0, 0, 1, 0, 0);
            ctx.imageSmoothingEnabled = false;
            for (var j = 0; j < indices.length; j++) {
                var k = indices[j];
                var x = Math.round(this._px[k] * t.a + t.e - half);
                var y = Math.round(this._py[k] * t.d + t.f - half);
                if (x + 2 * half < 0 || y + 2 * half < 0 || x > w || y > h) { continue; }
                if (x >= 0 && y >= 0) {
                    var at = y * (w + 1) + x;
                    if (seen[at]) { continue; }
                    seen[at] = 1;
                }
                ctx.drawImage(sprite, x, y);
            }
            ctx.restore();
        },
        _sprite: function (style, ctx) {
            var scale = ctx.getTransform().a;
            var key = JSON.stringify(style) + '@' + scale;
            this._sprites = this._sprites || {};
            if (!this._sprites[key]) {
                var half = Math.ceil((style.radius + (style.weight || 0)) * scale) + 1;
                var canvas = document.createElement('canvas');
                canvas.width = canvas.height = 2 * half;
                var c = canvas.getContext('2d');
                c.setTransform(scale, 0, 0, scale, half, half);
                c.beginPath();
                c.arc(0, 0, style.radius, 0, TWO_PI, false);
                this._fillStroke(c, style);
                this._sprites[key] = canvas;
            }
            return this._sprites[key];
        },
        _drawGroup: function (ctx, bounds, indices, style) {
            ctx.beginPath();
            for (var j = 0; j < indices.length; j++) {
                var k = indices[j], x = this._px[k], y = this._py[k], r = this._pr[k];
                if (bounds && (x + r < bounds.min.x || x - r > bounds.max.x ||
                               y + r < bounds.min.y || y - r > bounds.max.y)) { continue; }
                ctx.moveTo(x + r, y);
                ctx.arc(x, y, r, 0, TWO_PI, false);
            }
            this._fillStroke(ctx, style);
        },
        _fillStroke: function (ctx, style) {
            if (style.fill !== false) {
                ctx.globalAlpha = style.fillOpacity;
                ctx.fillStyle = style.fillColor || style.color;
                ctx.fill('nonzero');  // one path: overlapping circles must not cut holes
            }
            if (style.weight) {
                ctx.setLineDash(style.dashArray ? style.dashArray.split(/[, ]+/).map(Number) : []);
                ctx.globalAlpha = style.opacity;
                ctx.lineWidth = style.weight;
                ctx.strokeStyle = style.color;
                ctx.stroke();
            }
            ctx.globalAlpha = 1;
            ctx.setLineDash([]);
        },
        // The shown feature under point p (layer pixels): the smallest circle containing it,
        // so an exact point wins over an approximate area around it; nearest on a tie.
        _containsPoint: function (p) {
            var tolerance = this._renderer.options.tolerance || 0, best = -1,
                bestR = Infinity, bestD = Infinity;
            for (var k = 0; k < this.features.length; k++) {
                if (!this.shown[k]) { continue; }
                var dx = p.x - this._px[k], dy = p.y - this._py[k], d = dx * dx + dy * dy;
                var w = this.styles[this.features[k].properties.s].weight || 0;
                var reach = this._pr[k] + w / 2 + tolerance;
                if (d <= reach * reach && (this._pr[k] < bestR ||
                                           (this._pr[k] === bestR && d < bestD))) {
                    best = k; bestR = this._pr[k]; bestD = d;
                }
            }
            this.hit = best;
            return best >= 0;
        },
        hitFeature: function () { return this.hit >= 0 ? this.features[this.hit] : null; }
    });
}

store.apply = store.apply || function (id, state) {
    var e = store.layers[id];
    if (!e) { return; }
    e.state = state;
    if (state.visible && !store.map.hasLayer(e.container)) { store.map.addLayer(e.container); }
    if (!state.visible && store.map.hasLayer(e.container)) { store.map.removeLayer(e.container); }
    if (!e.ready) { return; }
    var bits = state.mask ? atob(state.mask) : null;
    var count = 0;
    for (var i = 0; i < e.layers.length; i++) {
        var show = bits === null || ((bits.charCodeAt(i >> 3) >> (7 - (i & 7))) & 1) === 1;
        var k = e.pointIndex[i];
        if (k >= 0) {
            e.points.shown[k] = show ? 1 : 0;
        } else if (show !== e.shown[i]) {
            if (show) { e.container.addLayer(e.layers[i]); } else { e.container.removeLayer(e.layers[i]); }
        }
        e.shown[i] = show;
        if (show) { count++; }
    }
    if (e.selected !== state.selected) {
        var old = e.layers[e.selected];
        if (old) { old.setStyle(e.styleOf(e.selected)); }
        var chosen = e.layers[state.selected];
        if (chosen) {
            var base = e.styleOf(state.selected);
            chosen.setStyle(L.extend({}, base, {color: store.selectedColor,
                                                weight: base.weight * 2}));
            if (chosen.bringToFront && e.shown[state.selected]) { chosen.bringToFront(); }
        }
        e.selected = state.selected;
    }
    if (e.points) {
        e.points.selected = state.selected >= 0 ? e.pointIndex[state.selected] : -1;
        e.points.refresh();
    }
    // How many features of each layer are on the map, for tests, the benchmark and tools.
    store.map.getContainer().setAttribute('data-shown-' + id, String(state.visible ? count : 0));
};
