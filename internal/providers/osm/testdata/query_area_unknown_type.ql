[out:json][timeout:90];
area(id:3600113314)->.a;
(
  nwr["name"~"kite repair",i](area.a);
);
out center tags;
