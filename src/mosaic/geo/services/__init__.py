"""geo's use cases: the turnover reads behind the map (`turnover`) and `seed geo` (`seeding`)."""
