[out:json][timeout:90];
area(id:3600113314)->.a;
(
  nwr["craft"="plumber"](area.a);
);
out center tags;
