// The map's browser side: layers fetched once, points drawn in one pass, view updates (masks,
// style classes, selection by id), click reporting, the legend and the notice box.
// Served once by name ("creative_map", layers/assets.py) and loaded after Leaflet, before the
// map's own script, which calls the functions below. The protocol is in PROTOCOL.md.
(function () {
'use strict';
if (window.__creativeMap) { return; }
var store = window.__creativeMap = {layers: {}, order: [], legends: [], selectedColor: '#000000'};
var TWO_PI = Math.PI * 2;
var EARTH_CIRCUMFERENCE_M = 40075016.686;
// Approximate circles up to this radius (CSS pixels) are drawn from sprites, wider ones as arcs.
var SPRITE_MAX_RADIUS_PX = 24;
var NO_CLASS = 255;
// Points whose centres round to the same CSS pixel form a stack: one badge with their count,
// one tooltip listing them all, and a click spreads them on a circle around the spot.
var SPREAD_MIN_RADIUS_PX = 28;
var BADGE_RADIUS_PX = 8;
// More stacks than this in view (100,000 places zoomed out) get no badges: they would cover
// the map and cost a redraw tens of milliseconds; their tooltips and spreading still work.
var MAX_BADGES = 1000;

// One notice box on a map (bottom left, read out by screen readers). Returns its element.
// `html` must already be escaped (layers/escape.py); pass '' and set textContent to update it.
store.notice = window.__creativeNotice = function (map, html, extraClass) {
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

// WORKAROUND for streamlit-folium 0.27 (the one place that knows it, with
// layers.render.clicked_feature_id in Python). Its click handler reports only a clicked layer's
// position, its tooltip TEXT and, for a layer inside a group, `last_active_drawing =
// e.layer.toGeoJSON()`; there is no channel for a feature's id, and reading one out of tooltip
// text breaks with markup, languages and hostile names. So every clickable layer's toGeoJSON
// returns a tiny feature naming the layer and the clicked feature's id, without geometry (a
// district polygon must not travel back to Python on each click).
store.reportClicks = function (layer, layerId, featureOf) {
    layer.toGeoJSON = function () {
        var f = featureOf();
        return {type: 'Feature', geometry: null,
                properties: {layer: layerId, id: f ? f.properties.id : null}};
    };
};

// All point features of a layer as ONE Leaflet path on the map's canvas renderer: one draw
// pass per style instead of one path per feature, and one entry in the map's layer list
// instead of thousands (streamlit-folium rebinds a click handler on every entry after each
// rerun, and Leaflet adds and removes each separately). `styleIdx[k]` is point k's style in
// `styles`; hit-testing keeps the index of the point under the pointer in `hit`, or, when it
// is a stack of points at one spot, the stack's number in `hitStack` (and `hit` = -1).
// Stacks are found in O(n) by a hash of rounded pixel positions, on each projection and each
// refresh. `spread` is the stack drawn spread out (its members then sit on a small circle,
// each hoverable and clickable); a zoom or a click off it folds it back.
store.PointsPath = L.Path.extend({
    initialize: function (features, styles, styleIdx, options) {
        L.setOptions(this, options);
        var n = features.length;
        this.features = features;
        this.styles = styles;
        this.styleIdx = styleIdx;
        this.shown = new Uint8Array(n).fill(1);
        this.selected = -1;
        this.hit = -1;
        this.hitStack = -1;
        this.stacks = [];         // each: {members: [k, ...], x, y} (layer pixels)
        this.spread = null;       // while a stack is spread: {stack, members, x, y, at, ring}
        this._stackOf = new Int32Array(n).fill(-1);
        this._px = new Float64Array(n);
        this._py = new Float64Array(n);
        this._pr = new Float64Array(n);
        this._cell = new Float64Array(n).fill(NaN);  // the rounded pixel, set by _project
        this._regroup();
    },
    onAdd: function (map) {
        L.Path.prototype.onAdd.call(this, map);
        map.on('click', this._onMapClick, this);
    },
    onRemove: function (map) {
        map.off('click', this._onMapClick, this);
        this.spread = null;
        L.Path.prototype.onRemove.call(this, map);
    },
    // The stacks of shown points: O(n), one hash lookup per point.
    _stack: function () {
        var old = this.spread;
        this._fold();
        var cells = new Map(), stacks = [], n = this.features.length;
        this._stackOf.fill(-1);
        for (var k = 0; k < n; k++) {
            if (!this.shown[k] || this._cell[k] !== this._cell[k]) { continue; }
            var first = cells.get(this._cell[k]);
            if (first === undefined) { cells.set(this._cell[k], k); continue; }
            var s = this._stackOf[first];
            if (s < 0) {
                s = stacks.length;
                stacks.push({members: [first], x: this._px[first], y: this._py[first]});
                this._stackOf[first] = s;
            }
            stacks[s].members.push(k);
            this._stackOf[k] = s;
        }
        this.stacks = stacks;
        if (old) {
            // Keep a spread stack spread across view updates while it has the same members.
            var now = this._stackOf[old.members[0]];
            if (now >= 0 && stacks[now].members.join() === old.members.join()) {
                this._spreadOut(now);
            }
        }
    },
    // Put a spread stack's members back on their spot (positions only).
    _fold: function () {
        var sp = this.spread;
        if (!sp) { return; }
        for (var k in sp.at) {
            this._px[k] = sp.at[k][0]; this._py[k] = sp.at[k][1]; this._pr[k] = sp.at[k][2];
        }
        this.spread = null;
    },
    _spreadOut: function (s) {
        var stack = this.stacks[s], m = stack.members.length, at = Object.create(null);
        var radius = 0;
        stack.members.forEach(function (k) {
            radius = Math.max(radius, this.styles[this.styleIdx[k]].radius);
        }, this);
        // Members a little more than a diameter apart along the circle.
        var ring = Math.max(SPREAD_MIN_RADIUS_PX, (m * (2 * radius + 6)) / TWO_PI);
        for (var j = 0; j < m; j++) {
            var k = stack.members[j], angle = -Math.PI / 2 + (TWO_PI * j) / m;
            at[k] = [this._px[k], this._py[k], this._pr[k]];
            this._px[k] = stack.x + ring * Math.cos(angle);
            this._py[k] = stack.y + ring * Math.sin(angle);
            this._pr[k] = this.styles[this.styleIdx[k]].radius;
        }
        this.spread = {stack: s, members: stack.members.slice(), x: stack.x, y: stack.y, at: at,
                       ring: ring + radius};
    },
    // Fold a spread stack back onto its spot.
    collapse: function () {
        if (!this.spread) { return this; }
        this._fold();
        this._regroup();
        if (this._map) { this._renderer._requestRedraw(this); }
        return this;
    },
    // Spread stack s out around its spot (a click on it does this).
    spreadStack: function (s) {
        if (s < 0 || s >= this.stacks.length) { return this; }
        this._fold();
        this._spreadOut(s);
        this._regroup();
        if (this._map) { this._renderer._requestRedraw(this); }
        return this;
    },
    _onMapClick: function (e) {
        if (!this.spread) { return; }
        // A click inside the spread circle (on the spot, a leader line or a member) keeps it.
        var sp = this.spread, dx = e.layerPoint.x - sp.x, dy = e.layerPoint.y - sp.y;
        if (dx * dx + dy * dy > sp.ring * sp.ring) { this.collapse(); }
    },
    // The point indices of the stack under the pointer (hitStack), or [] when it is one point.
    hitMembers: function () {
        return this.hitStack >= 0 ? this.stacks[this.hitStack].members : [];
    },
    // Call after changing `shown`, `styleIdx` or `selected`: redraws on the next frame.
    refresh: function () {
        this._stack();
        this._regroup();
        if (this._map) { this._renderer._requestRedraw(this); }
        return this;
    },
    _regroup: function () {
        var exact = this.styles.map(function () { return []; });
        var approx = this.styles.map(function () { return []; });
        var at = this.spread ? this.spread.at : {};
        for (var k = 0; k < this.features.length; k++) {
            if (this.shown[k]) {
                // A spread member is drawn at its style's size, like an exact point.
                var isApprox = this.features[k].properties.a && !(k in at);
                (isApprox ? approx : exact)[this.styleIdx[k]].push(k);
            }
        }
        this._exact = exact;
        this._approx = approx;
    },
    _project: function () {
        this.spread = null;  // a zoom folds a spread stack (every position is new below)
        var map = this._map, zoom = map.getZoom(), origin = map.getPixelOrigin();
        var metresPerPxAtEquator = EARTH_CIRCUMFERENCE_M / (256 * Math.pow(2, zoom));
        var minPx = this.options.minPx, pad = 0, x0 = Infinity, y0 = Infinity,
            x1 = -Infinity, y1 = -Infinity, maxWeight = 0;
        this.styles.forEach(function (s) { maxWeight = Math.max(maxWeight, s.weight || 0); });
        for (var k = 0; k < this.features.length; k++) {
            var f = this.features[k], c = f.geometry.coordinates;
            var p = map.project([c[1], c[0]], zoom);
            var r = this.styles[this.styleIdx[k]].radius;
            if (f.properties.a) {
                var metresPerPx = metresPerPxAtEquator * Math.cos(c[1] * Math.PI / 180);
                r = Math.max(minPx, f.properties.a / metresPerPx);
            }
            this._px[k] = p.x - origin.x;
            this._py[k] = p.y - origin.y;
            this._pr[k] = r;
            // One number per whole pixel: |x|, |y| < 2^26 at any zoom Leaflet reaches.
            this._cell[k] = Math.round(this._px[k]) * 134217728 + Math.round(this._py[k]);
            pad = Math.max(pad, r + 4 * maxWeight);
            x0 = Math.min(x0, this._px[k]); y0 = Math.min(y0, this._py[k]);
            x1 = Math.max(x1, this._px[k]); y1 = Math.max(y1, this._py[k]);
        }
        pad = Math.max(pad, SPREAD_MIN_RADIUS_PX * 4);  // room for a spread stack and badges
        this._pxBounds = this.features.length
            ? L.bounds([x0 - pad, y0 - pad], [x1 + pad, y1 + pad]) : null;
        this._stack();
        this._regroup();
    },
    _update: function () {},  // drawing happens in _updatePath, during the renderer's pass
    _updatePath: function () {
        var renderer = this._renderer;
        if (!renderer._drawing || !this._pxBounds) { return; }
        var ctx = renderer._ctx, b = renderer._bounds, s;
        if (this.spread) { this._drawLeaders(ctx); }
        // Approximate circles first, so exact points are never hidden under them.
        for (s = 0; s < this.styles.length; s++) {
            if (this._approx[s].length) { this._drawApprox(ctx, b, this._approx[s], this.styles[s]); }
        }
        for (s = 0; s < this.styles.length; s++) {
            if (this._exact[s].length) {
                this._blitGroup(ctx, this._exact[s], this.styles[s], this.styles[s].radius);
            }
        }
        if (this.selected >= 0 && this.shown[this.selected]) {
            this._drawGroup(ctx, null, [this.selected],
                            store.selectedStyle(this.styles[this.styleIdx[this.selected]]));
        }
        this._drawBadges(ctx, b);
    },
    // Where stack s's count badge sits: up and right of the spot, clear of a point's circle.
    _badgeAt: function (s) {
        var st = this.stacks[s], r = Infinity;
        st.members.forEach(function (k) {
            r = Math.min(r, this.styles[this.styleIdx[k]].radius);
        }, this);
        var off = (r + BADGE_RADIUS_PX * 0.5) * Math.SQRT1_2;
        return [st.x + off, st.y - off];
    },
    // Every badge in view: white discs in one path, then the counts.
    _drawBadges: function (ctx, bounds) {
        var inView = [], pad = 2 * BADGE_RADIUS_PX + SPRITE_MAX_RADIUS_PX;
        for (var s = 0; s < this.stacks.length; s++) {
            var st = this.stacks[s];
            if (this.spread && this.spread.stack === s) { continue; }
            if (st.x < bounds.min.x - pad || st.x > bounds.max.x + pad ||
                st.y < bounds.min.y - pad || st.y > bounds.max.y + pad) { continue; }
            inView.push(s);
            if (inView.length > MAX_BADGES) { this._badged = false; return; }
        }
        this._badged = true;
        if (!inView.length) { return; }
        var at = inView.map(this._badgeAt, this);
        ctx.beginPath();
        at.forEach(function (xy) {
            ctx.moveTo(xy[0] + BADGE_RADIUS_PX, xy[1]);
            ctx.arc(xy[0], xy[1], BADGE_RADIUS_PX, 0, TWO_PI, false);
        });
        ctx.globalAlpha = 1;
        ctx.fillStyle = '#ffffff';
        ctx.fill();
        ctx.lineWidth = 1.5;
        ctx.strokeStyle = '#222222';
        ctx.stroke();
        ctx.fillStyle = '#111111';
        ctx.textAlign = 'center';
        ctx.textBaseline = 'middle';
        inView.forEach(function (s, j) {
            var text = String(this.stacks[s].members.length);
            ctx.font = 'bold ' + (text.length > 2 ? 8 : 11) + 'px sans-serif';
            ctx.fillText(text, at[j][0], at[j][1] + 0.5);
        }, this);
    },
    // Thin lines from a spread stack's spot to each member, and a dot on the spot itself.
    _drawLeaders: function (ctx) {
        var sp = this.spread;
        ctx.beginPath();
        sp.members.forEach(function (k) {
            // To the member's edge, so the line never tints the member's own colour.
            var dx = this._px[k] - sp.x, dy = this._py[k] - sp.y, d = Math.sqrt(dx * dx + dy * dy);
            var f = d > 0 ? Math.max(0, d - this._pr[k]) / d : 0;
            ctx.moveTo(sp.x, sp.y);
            ctx.lineTo(sp.x + dx * f, sp.y + dy * f);
        }, this);
        ctx.globalAlpha = 0.8;
        ctx.lineWidth = 1.5;
        ctx.strokeStyle = '#444444';
        ctx.stroke();
        ctx.beginPath();
        ctx.arc(sp.x, sp.y, 3, 0, TWO_PI, false);
        ctx.fillStyle = '#444444';
        ctx.fill();
        ctx.globalAlpha = 1;
    },
    // Exact points have one size per style: paint one circle into a small sprite, then
    // copy it to each point at whole device pixels. Copying is several times faster to
    // rasterise than 10,000 arcs, in one path or in many.
    // A point of the same style at the same whole pixel as one already copied adds nothing
    // visible but the opacity of stacked copies: it is copied once. Zoomed out, 100,000
    // places fall on a few thousand pixels, and each copy costs microseconds.
    // Approximate circles are a radius in metres: zoomed out, most are a few pixels wide and
    // drawn like exact points, from one sprite per style and radius (to half a pixel);
    // wider ones, few in view when zoomed in, are drawn as arcs.
    _drawApprox: function (ctx, bounds, indices, style) {
        var small = Object.create(null), large = [];
        for (var j = 0; j < indices.length; j++) {
            var k = indices[j], r = this._pr[k];
            if (r > SPRITE_MAX_RADIUS_PX) { large.push(k); continue; }
            var key = Math.round(r * 2) / 2;
            (small[key] = small[key] || []).push(k);
        }
        for (var radius in small) { this._blitGroup(ctx, small[radius], style, +radius); }
        if (large.length) { this._drawGroup(ctx, bounds, large, style); }
    },
    _blitGroup: function (ctx, indices, style, radius) {
        var sprite = this._sprite(style, ctx, radius);
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
    _sprite: function (style, ctx, radius) {
        var scale = ctx.getTransform().a;
        var key = JSON.stringify(style) + '@' + scale + 'r' + radius;
        this._sprites = this._sprites || {};
        if (!this._sprites[key]) {
            var half = Math.ceil((radius + (style.weight || 0)) * scale) + 1;
            var canvas = document.createElement('canvas');
            canvas.width = canvas.height = 2 * half;
            var c = canvas.getContext('2d');
            c.setTransform(scale, 0, 0, scale, half, half);
            c.beginPath();
            c.arc(0, 0, radius, 0, TWO_PI, false);
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
    // What is under point p (layer pixels): a stack's badge, or the shown point picked by
    // _pick; a point in a stack (not spread) stands for its whole stack.
    _containsPoint: function (p) {
        var k = this._pick(p), stack = -1;
        if (k >= 0 && this._stackOf[k] >= 0 &&
            !(this.spread && this.spread.stack === this._stackOf[k])) {
            stack = this._stackOf[k];
        }
        if (k < 0 && this._badged) {
            var reach = BADGE_RADIUS_PX + (this._renderer.options.tolerance || 0);
            for (var s = 0; s < this.stacks.length; s++) {
                if (this.spread && this.spread.stack === s) { continue; }
                var b = this._badgeAt(s), dx = p.x - b[0], dy = p.y - b[1];
                if (dx * dx + dy * dy <= reach * reach) { stack = s; break; }
            }
        }
        this.hitStack = stack;
        this.hit = stack >= 0 ? -1 : k;
        return k >= 0 || stack >= 0;
    },
    // The shown feature under point p (layer pixels): the smallest circle containing it,
    // so an exact point wins over an approximate area around it; nearest on a tie.
    _pick: function (p) {
        var tolerance = this._renderer.options.tolerance || 0, best = -1,
            bestR = Infinity, bestD = Infinity;
        for (var k = 0; k < this.features.length; k++) {
            if (!this.shown[k]) { continue; }
            var dx = p.x - this._px[k], dy = p.y - this._py[k], d = dx * dx + dy * dy;
            var w = this.styles[this.styleIdx[k]].weight || 0;
            var reach = this._pr[k] + w / 2 + tolerance;
            if (d <= reach * reach && (this._pr[k] < bestR ||
                                       (this._pr[k] === bestR && d < bestD))) {
                best = k; bestR = this._pr[k]; bestD = d;
            }
        }
        return best;
    },
    hitFeature: function () { return this.hit >= 0 ? this.features[this.hit] : null; }
});

store.selectedStyle = function (base) {
    return L.extend({}, base, {color: store.selectedColor, weight: (base.weight || 1) * 2,
                               opacity: 1});
};

// A layer whose document the browser fetches once from `o.url`; view updates then show, hide,
// restyle and select its features. Returns the layer's container group (on the map at once,
// so streamlit-folium's click handler, attached when the map starts, sees its clicks; one
// tooltip on it serves every feature). o = {id, url, tooltips, minPx, failed, stackTitle,
// stackHint}: the last three are escaped HTML (a stack's tooltip opens with
// "<stackTitle>: <count>" and ends with <stackHint>).
store.addLayer = function (map, o) {
    var container = L.featureGroup().addTo(map);
    // Features in document order: `layers[i]` is a Leaflet layer for lines and polygons, null
    // for a point, which is `pointIndex[i]` in the layer's one PointsPath instead.
    var e = {id: o.id, map: map, container: container, ready: false, layers: [],
             pointIndex: [], shown: [], points: null, selected: -1, styles: [],
             docStyle: null, styleIdx: null, nBase: 0, nClasses: 0,
             index: Object.create(null), classes: null, docLabels: null, state: null};
    store.layers[o.id] = e;
    store.order.push(o.id);
    function featureOf(layer) {
        return layer === e.points ? e.points.hitFeature() : layer.feature;
    }
    if (o.tooltips) {
        container.bindTooltip(function (layer) {
            var div = document.createElement('div');
            // The tooltip is positioned in a zero-width pane, so without a width of its own
            // its text would wrap after every word (render.py caps .leaflet-tooltip's width).
            div.style.width = 'max-content';
            div.style.maxWidth = '300px';
            var members = layer === e.points ? e.points.hitMembers() : [];
            if (members.length) {
                // Every place at the spot: each tooltip is escaped HTML already.
                var head = L.DomUtil.create('div', 'creative-map-stack-title', div);
                head.innerHTML = (o.stackTitle || '') + ': ' + members.length;
                head.style.fontWeight = 'bold';
                members.forEach(function (k) {
                    // One line per place: its kind's colour, then its tooltip's first line
                    // (the name; escaped HTML, parsed, cut at the first <br>).
                    var item = L.DomUtil.create('div', 'creative-map-stack-item', div);
                    var style = e.points.styles[e.points.styleIdx[k]];
                    var swatch = L.DomUtil.create('span', 'creative-map-swatch', item);
                    swatch.style.cssText = 'display:inline-block;width:10px;height:10px;' +
                        'border-radius:50%;margin-right:6px;border:1px solid';
                    swatch.style.backgroundColor = style.fillColor || style.color;
                    swatch.style.borderColor = style.color;
                    var full = document.createElement('div');
                    full.innerHTML = e.points.features[k].properties.t || '';
                    for (var node = full.firstChild; node && node.nodeName !== 'BR';
                         node = full.firstChild) {
                        item.appendChild(node);
                    }
                });
                var hint = L.DomUtil.create('div', 'creative-map-stack-hint', div);
                hint.innerHTML = o.stackHint || '';
                hint.style.fontStyle = 'italic';
                return div;
            }
            var f = featureOf(layer);
            div.innerHTML = (f && f.properties.t) || '';
            return div;
        }, {sticky: true});
    }
    fetch(o.url).then(function (response) {
        if (!response.ok) { throw new Error('HTTP ' + response.status); }
        return response.json();
    }).then(function (data) {
        load(e, data, o);
        e.ready = true;
        store.apply(o.id, e.state || {visible: true, mask: null, selected: null});
        if (map.hasLayer(container)) { restackAbove(e); }
    }).catch(function (err) {
        if (window.console) { console.error(err); }
        store.notice(map, o.failed);
    });
    return container;
};

function load(e, data, o) {
    var classStyles = data.classes ? data.classes.styles : [];
    e.styles = data.styles.concat(classStyles);
    e.nBase = data.styles.length;
    e.nClasses = classStyles.length;
    e.docLabels = data.classes ? data.classes.labels : null;
    var n = data.features.length;
    e.docStyle = new Int32Array(n);
    e.styleIdx = new Int32Array(n);
    var points = [], pointStyles = [];
    var options = {
        pointToLayer: function (f, latlng) {
            return L.circleMarker(latlng, L.extend({}, e.styles[f.properties.s]));
        }
    };
    data.features.forEach(function (f, i) {
        e.index[f.properties.id] = i;
        e.docStyle[i] = e.styleIdx[i] = f.properties.s;
        if (f.geometry && f.geometry.type === 'Point') {
            e.pointIndex.push(points.length);
            e.layers.push(null);
            points.push(f);
            pointStyles.push(f.properties.s);
        } else {
            // Straight into the container (no nested group): Leaflet 1.9.3 calls
            // getElement() on each child of a group whose tooltip opens.
            var layer = L.GeoJSON.geometryToLayer(f, options);
            layer.feature = f;
            if (layer.setStyle) { layer.setStyle(e.styles[f.properties.s]); }
            store.reportClicks(layer, e.id, function () { return f; });
            e.container.addLayer(layer);
            e.pointIndex.push(-1);
            e.layers.push(layer);
        }
        e.shown.push(true);
    });
    if (points.length) {
        e.points = new store.PointsPath(points, e.styles, Int32Array.from(pointStyles),
                                        {minPx: o.minPx});
        store.reportClicks(e.points, e.id, function () { return e.points.hitFeature(); });
        // Moving from one point to the next stays inside this one layer: refresh the text.
        var tipFor = '';
        e.points.on('mouseover mousemove', function () {
            var tip = e.container.getTooltip(), now = e.points.hit + '/' + e.points.hitStack;
            if (tip && tip.isOpen() && tipFor !== now) { tip.update(); }
            tipFor = now;
        });
        // A click on a stack spreads it out (and selects nothing: its id is null).
        e.points.on('click', function () {
            if (e.points.hitStack >= 0) {
                e.points.spreadStack(e.points.hitStack);
                var tip = e.container.getTooltip();
                if (tip && tip.isOpen()) { e.container.closeTooltip(); }
            }
        });
        e.container.addLayer(e.points);
    }
    if (e.docLabels) { store.legendLabels(e.id, e.docLabels); }
}

// The canvas draws paths in the order they were added, but documents load, and features and
// layers reappear, in any order: after layer e adds paths, bring every later layer's shown
// paths back on top of them, bottom layer first. The top layer (the places) costs nothing.
function restackAbove(e) {
    var later = store.order.slice(store.order.indexOf(e.id) + 1);
    later.forEach(function (id) {
        var above = store.layers[id];
        if (!above.ready || above.map !== e.map || !e.map.hasLayer(above.container)) { return; }
        above.layers.forEach(function (layer, i) {
            if (layer && above.shown[i] && layer.bringToFront) { layer.bringToFront(); }
        });
        var chosen = above.layers[above.selected];
        if (chosen && above.shown[above.selected] && chosen.bringToFront) { chosen.bringToFront(); }
        if (above.points) { above.points.bringToFront(); }
    });
}

function styleFeature(e, i) {
    var layer = e.layers[i];
    if (!layer || !layer.setStyle) { return; }
    var base = e.styles[e.styleIdx[i]];
    layer.setStyle(i === e.selected ? store.selectedStyle(base) : base);
}

// Apply one layer's part of a view update (see PROTOCOL.md):
// {visible, mask, selected: feature id or null, classes: base64 bytes or null, labels}.
store.apply = function (id, state) {
    var e = store.layers[id];
    if (!e) { return; }
    e.state = state;
    var map = e.map, added = false;
    if (state.visible && !map.hasLayer(e.container)) { map.addLayer(e.container); added = true; }
    if (!state.visible && map.hasLayer(e.container)) { map.removeLayer(e.container); }
    store.legendShow(id, !!state.visible);
    if (!e.ready) { return; }
    var i, k, n = e.layers.length;
    var bits = state.mask ? atob(state.mask) : null;
    var count = 0;
    for (i = 0; i < n; i++) {
        var show = bits === null || ((bits.charCodeAt(i >> 3) >> (7 - (i & 7))) & 1) === 1;
        k = e.pointIndex[i];
        if (k >= 0) {
            e.points.shown[k] = show ? 1 : 0;
        } else if (show !== e.shown[i]) {
            if (show) { e.container.addLayer(e.layers[i]); added = true; } else { e.container.removeLayer(e.layers[i]); }
        }
        e.shown[i] = show;
        if (show) { count++; }
    }
    var classes = state.classes || null;
    if (classes !== e.classes) {
        e.classes = classes;
        var bytes = classes ? atob(classes) : null;
        for (i = 0; i < n; i++) {
            var c = bytes && i < bytes.length ? bytes.charCodeAt(i) : NO_CLASS;
            var s = c === NO_CLASS || c >= e.nClasses ? e.docStyle[i] : e.nBase + c;
            if (s === e.styleIdx[i]) { continue; }
            e.styleIdx[i] = s;
            k = e.pointIndex[i];
            if (k >= 0) { e.points.styleIdx[k] = s; } else { styleFeature(e, i); }
        }
        var labels = state.labels || (classes ? null : e.docLabels);
        if (labels) { store.legendLabels(id, labels); }
    }
    var chosen = state.selected !== null && state.selected !== undefined
        ? e.index[state.selected] : undefined;
    var selected = chosen === undefined ? -1 : chosen;
    if (selected !== e.selected) {
        var old = e.selected;
        e.selected = selected;
        if (old >= 0) { styleFeature(e, old); }
        if (selected >= 0) {
            styleFeature(e, selected);
            var layer = e.layers[selected];
            if (layer && layer.bringToFront && e.shown[selected]) { layer.bringToFront(); added = true; }
        }
    }
    if (e.points) {
        e.points.selected = selected >= 0 ? e.pointIndex[selected] : -1;
        e.points.refresh();
    }
    if (added && state.visible) { restackAbove(e); }
    // How many features of each layer are on the map, for tests, the benchmark and tools.
    map.getContainer().setAttribute('data-shown-' + id, String(state.visible ? count : 0));
    store.relabel(map);
};

// Name labels on the map (presentation mode): the shown features of some layers carry their
// names where a label collides with no other, placed greedily in screen space (the selected
// feature first, then document order; right of the point, else left, above, below). A name is
// the first line of the feature's tooltip, parsed in an inert document and set as TEXT, so
// data never becomes HTML. o = {layers: [layer id, ...], fontPx, max, avoid: [CSS selector, ...]}.
var LABEL_SIDES = [[1, 0], [-1, 0], [0, -1], [0, 1]];
store.labelSets = [];
store.labels = function (map, o) {
    var pane = map.getPane('creativeLabels') || map.createPane('creativeLabels');
    pane.style.zIndex = 450;  // above the shapes (400), below tooltips (650)
    pane.style.pointerEvents = 'none';
    var set = {map: map, o: o, pane: pane, ctx: document.createElement('canvas').getContext('2d'),
               font: '600 ' + o.fontPx + 'px sans-serif', names: Object.create(null)};
    set.ctx.font = set.font;
    store.labelSets.push(set);
    // While the map moves, the labels of the last view are hidden and not counted (tests and
    // tools wait for data-labels after the move).
    map.on('zoomstart movestart', function () {
        pane.style.display = 'none';
        map.getContainer().removeAttribute('data-labels');
    });
    map.on('zoomend moveend resize', function () { drawLabels(set); });
    drawLabels(set);
};

store.relabel = function (map) {
    store.labelSets.forEach(function (set) { if (set.map === map) { drawLabels(set); } });
};

function labelName(set, f) {
    var key = f.properties.id;
    if (!(key in set.names)) {
        var name = '';
        var body = new DOMParser().parseFromString(f.properties.t || '', 'text/html').body;
        for (var node = body.firstChild; node && node.nodeName !== 'BR'; node = node.nextSibling) {
            name += node.textContent;
        }
        set.names[key] = name.trim();
    }
    return set.names[key];
}

function labelAnchor(e, i) {
    var k = e.pointIndex[i];
    if (k >= 0) {
        var c = e.points.features[k].geometry.coordinates;
        return L.latLng(c[1], c[0]);
    }
    var layer = e.layers[i];
    return layer && layer.getCenter && layer._map ? layer.getCenter() : null;
}

// Boxes over the map that labels keep clear of: the map's controls, and elements of the page
// around the map's frame matched by o.avoid (the presentation's card and controls float over the map), in the map's
// pixels. The frame is the app's own (same origin); another origin has none.
function avoidedBoxes(map, selectors) {
    var boxes = [], inside = map.getContainer().getBoundingClientRect();
    // The map's own controls (legend, zoom, scale, notices) are never covered either.
    map.getContainer().querySelectorAll('.leaflet-control').forEach(function (el) {
        var r = el.getBoundingClientRect();
        if (r.width && r.height) {
            boxes.push({x: r.left - inside.left, y: r.top - inside.top, w: r.width, h: r.height});
        }
    });
    if (!selectors || !selectors.length || !window.frameElement) { return boxes; }
    try {
        var frame = window.frameElement.getBoundingClientRect();
        var inner = map.getContainer().getBoundingClientRect();
        selectors.forEach(function (selector) {
            window.parent.document.querySelectorAll(selector).forEach(function (el) {
                var r = el.getBoundingClientRect();
                if (r.width && r.height) {
                    boxes.push({x: r.left - frame.left - inner.left, y: r.top - frame.top - inner.top,
                                w: r.width, h: r.height});
                }
            });
        });
    } catch (err) { /* not reachable: label the whole map */ }
    return boxes;
}

function drawLabels(set) {
    var map = set.map, o = set.o, size = map.getSize(), count = 0;
    var placed = avoidedBoxes(map, o.avoid);
    var h = Math.ceil(o.fontPx * 1.25), gap = Math.ceil(o.fontPx * 0.4);
    set.pane.textContent = '';
    set.pane.style.display = '';
    o.layers.forEach(function (id) {
        var e = store.layers[id];
        if (!e || !e.ready || e.map !== map || !map.hasLayer(e.container)) { return; }
        var order = [];
        if (e.selected >= 0 && e.shown[e.selected]) { order.push(e.selected); }
        for (var i = 0; i < e.layers.length; i++) {
            if (e.shown[i] && i !== e.selected) { order.push(i); }
        }
        order.forEach(function (i) {
            if (count >= o.max) { return; }
            var at = labelAnchor(e, i);
            var name = at ? labelName(set, featureAt(e, i)) : '';
            if (!name) { return; }
            var p = map.latLngToContainerPoint(at);
            if (p.x < 0 || p.y < 0 || p.x > size.x || p.y > size.y) { return; }
            var w = Math.ceil(set.ctx.measureText(name).width) + 8;
            for (var s = 0; s < LABEL_SIDES.length; s++) {
                var dx = LABEL_SIDES[s][0], dy = LABEL_SIDES[s][1];
                var r = {x: dx > 0 ? p.x + gap : dx < 0 ? p.x - gap - w : p.x - w / 2,
                         y: dy > 0 ? p.y + gap : dy < 0 ? p.y - gap - h : p.y - h / 2, w: w, h: h};
                if (r.x < 0 || r.y < 0 || r.x + r.w > size.x || r.y + r.h > size.y) { continue; }
                if (placed.some(function (q) { return r.x < q.x + q.w && q.x < r.x + r.w &&
                                                       r.y < q.y + q.h && q.y < r.y + r.h; })) {
                    continue;
                }
                placed.push(r);
                var div = L.DomUtil.create('div', 'creative-map-label', set.pane);
                div.textContent = name;
                div.style.font = set.font;
                var pos = map.containerPointToLayerPoint([r.x, r.y]);
                L.DomUtil.setPosition(div, pos);
                count++;
                return;
            }
        });
    });
    map.getContainer().setAttribute('data-labels', String(count));
}

// The feature at document position i of a loaded layer (points live in its PointsPath).
function featureAt(e, i) {
    var k = e.pointIndex[i];
    return k >= 0 ? e.points.features[k] : e.layers[i].feature;
}

// The legend: a Leaflet control built from the layers' styles (layers/render.py MapLegend).
// Every text in `legend` is already escaped; colours are set through the DOM, never as HTML.
// legend = {title, sections: [{layer, title, visible, rows: [{color, outline, shape, text}]}]}
store.addLegend = function (map, legend) {
    var control = L.control({position: 'bottomright'});
    control.onAdd = function () {
        var box = L.DomUtil.create('details', 'creative-map-legend');
        // Open where there is room for it; on a phone it starts folded (tap "Legend").
        var size = map.getSize();
        box.open = size.x >= 500 && size.y >= 400;
        var summary = L.DomUtil.create('summary', '', box);
        summary.innerHTML = legend.title;
        legend.sections.forEach(function (section) {
            var div = L.DomUtil.create('div', 'creative-map-legend-layer', box);
            div.setAttribute('data-layer', section.layer);
            div.hidden = !section.visible;
            if (section.title) { L.DomUtil.create('div', 'creative-map-legend-title', div).innerHTML = section.title; }
            section.rows.forEach(function (row) {
                // Short labels share a line in two columns; long ones take the whole width.
                var wide = row.text.length > 22 ? ' wide' : '';
                var line = L.DomUtil.create('div', 'creative-map-legend-row' + wide, div);
                var swatch = L.DomUtil.create('span', 'creative-map-swatch ' + row.shape, line);
                swatch.style.backgroundColor = row.color;
                swatch.style.borderColor = row.outline || row.color;
                var text = L.DomUtil.create('span', 'creative-map-legend-text', line);
                text.innerHTML = row.text;
                line.hidden = row.text === '';
            });
        });
        L.DomEvent.disableClickPropagation(box);
        L.DomEvent.disableScrollPropagation(box);
        return box;
    };
    control.addTo(map);
    store.legends.push(control.getContainer());
    return control;
};

function legendSections(id) {
    var found = [];
    store.legends.forEach(function (box) {
        box.querySelectorAll('.creative-map-legend-layer').forEach(function (div) {
            if (div.getAttribute('data-layer') === id) { found.push(div); }
        });
    });
    return found;
}

store.legendShow = function (id, visible) {
    legendSections(id).forEach(function (div) { div.hidden = !visible; });
};

// New class labels (escaped text, one per class) for a classed layer's legend rows; rows past
// the last label (fewer distinct values than classes) are hidden.
store.legendLabels = function (id, labels) {
    legendSections(id).forEach(function (div) {
        div.querySelectorAll('.creative-map-legend-row').forEach(function (row, c) {
            var text = c < labels.length ? labels[c] : '';
            row.querySelector('.creative-map-legend-text').innerHTML = text;
            row.hidden = text === '';
        });
    });
};
})();
