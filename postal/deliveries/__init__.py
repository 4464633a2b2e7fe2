"""Results and dossiers by post (dịch vụ bưu chính công ích): the deliveries' models, services,
selectors, forms, pages, URLs and API, one package of the postal app (app label `postal`)."""
