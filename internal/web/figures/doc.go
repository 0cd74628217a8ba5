// Package figures writes the dashboard's numbers for people (12,345;
// 4.2%) and computes its charts, drawn as SVG on the server: the geometry
// is computed here, the templates only place it, and colours come from the
// stylesheet. Each chart also says its numbers in words (the SVG's title
// and description, and the text beside each bar), so colour is never the
// only signal.
package figures
