// The app's global styles, so components render as in the app: `.visually-hidden` text, for one,
// is positioned out of the flow there, which changes how accessible names are joined.
import '../../src/app.css';
