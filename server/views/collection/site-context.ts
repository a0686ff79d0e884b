import { createContext } from 'preact';
import { type LibrarySite, NO_SITE } from '../../collection/library-site.ts';

/**
 * The library's own site (name, logo, footer) for the page frame. A context, so that every view
 * gets the frame without passing the same settings through each one's props.
 */
export const SiteContext = createContext<LibrarySite>(NO_SITE);
