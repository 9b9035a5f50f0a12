/* Cancel Atlas corrections: fill in the record id when the page is opened
 * from a record's "request a correction" link (?record=ID). */
(function () {
	"use strict";
	var id = new URLSearchParams(location.search).get("record");
	var input = document.getElementById("c-record");
	if (id && input && /^[a-z0-9]+(-[a-z0-9]+)*$/.test(id)) input.value = id;
})();
