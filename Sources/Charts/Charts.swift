// Charts: data → scales → axes → marks → a backend-free scene that Report renders with Cairo.
// Empty until the charts issue lands.
