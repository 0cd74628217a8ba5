[out:json][timeout:90];
(
  nwr["amenity"="dentist"](30.0985133,-97.9367663,30.5166255,-97.5605288);
  nwr["healthcare"="dentist"](30.0985133,-97.9367663,30.5166255,-97.5605288);
);
out center tags;
